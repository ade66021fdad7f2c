// node bench_docxtemplater.js TEMPLATE VIEW.json OUT N: docxtemplater (with its angular
// expressions parser, for dotted names) fills TEMPLATE N times: read, render, generate
// (DEFLATE), write; prints "fills_per_second <x>". Run with NODE_PATH pointing at the
// folder where run.py installed docxtemplater, pizzip and angular-expressions.
const fs = require("fs");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");
const expressionParser = require("docxtemplater/expressions.js");

const [template, viewPath, out, nText] = process.argv.slice(2);
const n = parseInt(nText, 10);
const view = JSON.parse(fs.readFileSync(viewPath, "utf8"));

function fill() {
  const zip = new PizZip(fs.readFileSync(template));
  const doc = new Docxtemplater(zip, { paragraphLoop: true, linebreaks: true, parser: expressionParser });
  doc.render(view);
  fs.writeFileSync(out, doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" }));
}

fill(); // warm-up
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) fill();
const dt = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`fills_per_second ${(n / dt).toFixed(1)}`);
