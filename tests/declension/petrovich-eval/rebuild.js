#!/usr/bin/env node
// Rebuilds the evaluation sets of this folder from petrovich-eval and the OpenCorpora
// dictionary. Not run by the tests: the tests read only the .tsv files it writes. Kept so
// that anyone can check how the sets were made and make them again.
//
// petrovich-eval (https://github.com/petrovich/petrovich-eval, CC BY-SA 3.0) ships the
// first names with their six case forms (firstnames.tsv), but the surnames and patronymics
// only as lists with gender (surnames.gender.tsv, midnames.gender.tsv): its files with
// their forms are not in the repository. Their forms are rebuilt here from the same
// dictionary petrovich-eval was made from, OpenCorpora (CC BY-SA 3.0), as packaged for npm
// by the `az` library (OpenCorpora 0.92, revision 394551, compiled by pymorphy2 0.8).
//
// Usage (a checkout of petrovich-eval in EVAL, this folder as OUT):
//   mkdir /tmp/az && cd /tmp/az && npm install az@0.2.3
//   NODE_PATH=/tmp/az/node_modules node rebuild.js EVAL OUT
//
// For each (lemma, gender) of a list the dictionary's lexemes of the word (dictionary
// words only: no prediction, no typo or "е for ё" correction) are searched for a form that
// is the lemma itself in the nominative singular of that gender with the part's grammeme
// (Surn for surnames, Patr for patronymics); the singular forms of the same gender that
// follow it are its cases (the first of each case: variants such as "-ою" are skipped).
// An entry the dictionary does not have, or has with two different paradigms, is left out
// and counted on stderr. A gender "мр-жр" gives an entry for each gender.
//
// The full-name set: 1,000 men and 1,000 women drawn with a fixed seed (so the set is the
// same on every run): a surname and a patronymic of that gender from the rebuilt sets, a
// first name of that gender from petrovich-eval's list of popular names.
//
// Output, one line per entry: LEMMA, gender (м/ж), then the nominative, genitive, dative,
// accusative, instrumental and prepositional each written as a change of the lemma the way
// petrovich writes one: each leading "-" drops a letter from the end, the rest is added,
// "." is the lemma itself. "ЛЕВ м . --ЬВА --ЬВУ --ЬВА --ЬВОМ --ЬВЕ".
'use strict';

const fs = require('fs');
const path = require('path');
const Az = require('az');

const [evalDir, outDir] = process.argv.slice(2);
if (!evalDir || !outDir) {
  console.error('usage: node rebuild.js PETROVICH_EVAL_DIR OUT_DIR');
  process.exit(2);
}

const CASES = ['nomn', 'gent', 'datv', 'accs', 'ablt', 'loct'];
const CASE_RU = ['им', 'рд', 'дт', 'вн', 'тв', 'пр'];
const GENDER = { 'мр': ['masc'], 'жр': ['femn'], 'мр-жр': ['masc', 'femn'] };
const SHORT = { masc: 'м', femn: 'ж' };

function readTsv(name) {
  const text = fs.readFileSync(path.join(evalDir, name), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\n').filter((l) => l !== '');
  const head = lines.shift().split('\t');
  return lines.map((l) => {
    const cols = l.split('\t');
    const row = {};
    head.forEach((h, i) => { row[h] = cols[i]; });
    return row;
  });
}

// How many letters two words share at the start.
function commonPrefix(a, b) {
  const [x, y] = [Array.from(a), Array.from(b)];
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

// "--ЬВА" from "ЛЕВ" and "ЛЬВА".
function modification(lemma, form) {
  if (form === lemma) return '.';
  const common = commonPrefix(lemma, form);
  return '-'.repeat(Array.from(lemma).length - common) + Array.from(form).slice(common).join('');
}

const variant = (tag) => Object.keys(tag).filter((k) => k.startsWith('V-')).sort().join(',');

function paradigmsOf(lemma, gender, grammeme) {
  const word = lemma.toLowerCase();
  const parses = Az.Morph(word, {
    parsers: ['Dictionary'], ignoreCase: true, replacements: {}, typos: 0, stutter: 0,
  });
  const found = new Map();
  for (const p of parses) {
    if (!p.formCnt) continue;
    for (let i = 0; i < p.formCnt; i++) {
      const start = p.inflect(i);
      const t = start.tag;
      if (start.toString() !== word || !t[grammeme] || !t.sing || !t.nomn) continue;
      if (!t[gender] && !t['Ms-f']) continue;
      const forms = [word];
      for (let j = i + 1; j < p.formCnt; j++) {
        const f = p.inflect(j);
        const ft = f.tag;
        if (!ft[grammeme] || !ft.sing || (!ft[gender] && !ft['Ms-f'])) break;
        // Spelling variants (-иевич beside -ьевич, -ою beside -ой) are interleaved:
        // the forms of the lemma's own variant are the ones that count.
        if (variant(ft) !== variant(t)) continue;
        if (ft.nomn) break;
        const c = CASES.indexOf(ft.CAse);
        if (c > 0 && forms[c] === undefined) forms[c] = f.toString();
      }
      if (CASES.every((_, c) => forms[c] !== undefined)) {
        found.set(forms.join(' '), forms.map((f) => f.toUpperCase()));
      }
    }
  }
  return [...found.values()];
}

function rebuild(listName, grammeme) {
  const out = [];
  let missing = 0;
  let ambiguous = 0;
  for (const row of readTsv(listName)) {
    for (const gender of GENDER[row.gender] || []) {
      const found = paradigmsOf(row.lemma, gender, grammeme);
      if (found.length === 0) { missing++; console.error(`${listName}: not in the dictionary: ${row.lemma} ${gender}`); continue; }
      if (found.length > 1) {
        // МИХАЙЛОВИЧ has a second lexeme in the dictionary, МИХАИЛОВИЧА... under the same
        // nominative (the nominative of that lexeme is misspelt): the paradigm that keeps
        // more of the lemma's letters is the lemma's own.
        const kept = (forms) => forms.reduce((n, f) => n + commonPrefix(row.lemma, f), 0);
        found.sort((a, b) => kept(b) - kept(a));
        if (kept(found[0]) !== kept(found[1])) found.length = 1;
      }
      if (found.length > 1) { ambiguous++; console.error(`${listName}: two paradigms: ${row.lemma} ${gender}: ${found.map((f) => f.join(' ')).join(' / ')}`); continue; }
      out.push({ lemma: row.lemma, gender: SHORT[gender], forms: found[0] });
    }
  }
  console.error(`${listName}: ${out.length} entries, ${missing} not in the dictionary, ${ambiguous} ambiguous`);
  return out;
}

// petrovich-eval's own forms of the first names, by (lemma, gender).
function firstNames() {
  const by = new Map();
  for (const row of readTsv('firstnames.tsv')) {
    const [g, , c] = row.grammemes.split(',');
    // "мр-жр" (only ДАНТЕ, indeclinable) is read as petrovich-eval's own evaluation reads it.
    const gender = g === 'мр' ? 'м' : 'ж';
    const key = row.lemma + '\t' + gender;
    if (!by.has(key)) by.set(key, { lemma: row.lemma, gender, forms: [] });
    by.get(key).forms[CASE_RU.indexOf(c)] = row.word;
  }
  const out = [...by.values()];
  for (const e of out) {
    if (!CASES.every((_, c) => e.forms[c] !== undefined)) throw new Error('incomplete: ' + e.lemma);
  }
  return out;
}

function write(name, header, entries) {
  const lines = entries.map((e) =>
    [e.lemma, e.gender, ...e.forms.map((f) => modification(e.lemma, f))].join('\t'));
  fs.writeFileSync(path.join(outDir, name), header + lines.join('\n') + '\n');
}

// mulberry32: a small seeded generator, so the drawn full names are the same on every run.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Az.Morph.init(path.join(path.dirname(require.resolve('az')), '..', 'dicts'), (err) => {
  if (err) throw err;
  const header = (what) =>
    `# ${what}: petrovich-eval (CC BY-SA 3.0, see LICENSE.txt and README.md); made by rebuild.js.\n` +
    '# LEMMA, gender, then the six cases (им рд дт вн тв пр) as changes of the lemma.\n';
  const surnames = rebuild('surnames.gender.tsv', 'Surn');
  const patronymics = rebuild('midnames.gender.tsv', 'Patr');
  const names = firstNames();
  write('surnames.tsv', header('Surnames of surnames.gender.tsv, forms from OpenCorpora'), surnames);
  write('patronymics.tsv', header('Patronymics of midnames.gender.tsv, forms from OpenCorpora'), patronymics);
  write('firstnames.tsv', header('First names and their forms from firstnames.tsv'), names);

  const random = generator(17);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const known = new Set(names.map((e) => e.lemma + '\t' + e.gender));
  const popular = readTsv('firstnames.popular.gender.tsv')
    .map((r) => ({ lemma: r.lemma.toUpperCase(), gender: r.gender === 'мр' ? 'м' : 'ж' }))
    .filter((e) => known.has(e.lemma + '\t' + e.gender));
  const people = [];
  for (const gender of ['м', 'ж']) {
    const of = (list) => list.filter((e) => e.gender === gender);
    const [s, n, p] = [of(surnames), of(popular), of(patronymics)];
    for (let i = 0; i < 1000; i++) {
      people.push([gender, pick(s).lemma, pick(n).lemma, pick(p).lemma].join('\t'));
    }
  }
  fs.writeFileSync(path.join(outDir, 'fullnames.tsv'),
    '# Full names drawn from surnames.tsv, the popular first names of petrovich-eval and\n' +
    '# patronymics.tsv by rebuild.js (seed 17). Gender, SURNAME, NAME, PATRONYMIC; the\n' +
    '# expected forms are those of the three sets. The gender is for the report only: the\n' +
    '# decliners are not told it.\n' + people.join('\n') + '\n');
  fs.copyFileSync(path.join(evalDir, 'LICENSE.txt'), path.join(outDir, 'LICENSE.txt'));
});
