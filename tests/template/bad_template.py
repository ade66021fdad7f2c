#!/usr/bin/env python3
"""bad_template.py NASTAVNIK CASE.lua: one case of the template bad-input corpus (tests/template/bad/).

A case is a data script for `nastavnik fill` whose header says the template and what must happen:
    -- template: <w:p>…</w:p>        the body of a DOCX (several lines are joined)
    -- part: word/header1.xml <w:hdr …>…</w:hdr>   another entry of the package (whole)
    -- document: <?xml …?><w:document …>…        word/document.xml whole (instead of template:)
    -- generate: NAME [ARG]          a template made by a generator below (bombs, many tags)
    -- option: --missing=empty       more arguments for the command
    -- expect: text                  must appear on stderr (several lines: all must)
    -- expect-exit: 1                (1 by default)
    -- expect-errors: N              exactly N messages ("найдено ошибок: N")
The command must fail with those messages, write nothing into its output folder (no file, no
temporary file), print nothing on stdout, and stay under 512 MiB (measured, not timed: its peak
resident size is checked; a CPU limit only stops a runaway).
"""
import os
import resource
import subprocess
import sys
import tempfile
import zipfile

W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>')


def document(body):
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{body}</w:body></w:document>'


def package(path, entries, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        for name, data in entries:
            z.writestr(name, data)


def gen_zip_bomb(path, arg):
    # 250 MB of document.xml, bzip2-compressed to a few hundred bytes: refused by its declared
    # size before anything is inflated
    body = document("<w:p><w:r><w:t>{x}</w:t></w:r></w:p>")
    big = body.replace("</w:body>", "<!--" + " " * (250 << 20) + "--></w:body>")
    package(path, [("word/document.xml", big)], zipfile.ZIP_BZIP2)


def gen_header_bombs(path, arg):
    # twenty headers of 4 MiB each: under the limit one by one, over it together
    hdr = ('<?xml version="1.0" encoding="UTF-8"?>\n<w:hdr ' + W + '><w:p><w:r><w:t>{x}</w:t></w:r></w:p><!--'
           + " " * (4 << 20) + "--></w:hdr>")
    entries = [("word/document.xml", document("<w:p><w:r><w:t>{x}</w:t></w:r></w:p>"))]
    entries += [(f"word/header{i}.xml", hdr) for i in range(1, 21)]
    package(path, entries)


def gen_tags(path, arg):
    n = int(arg)
    package(path, [("word/document.xml", document("<w:p><w:r><w:t>" + "{x}" * n + "</w:t></w:r></w:p>"))])


def gen_nested(path, arg):
    # [ + {#l}×N + {x} + {/l}×N + ]
    n = int(arg)
    text = "[" + "{#l}" * n + "{x}" + "{/l}" * n + "]"
    package(path, [("word/document.xml", document(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"))])


GENERATORS = {"zip-bomb": gen_zip_bomb, "header-bombs": gen_header_bombs, "tags": gen_tags,
              "nested": gen_nested}


def limit_child():
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))  # a runaway is stopped, not timed
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main():
    binary, source = sys.argv[1], os.path.relpath(sys.argv[2])
    body, parts, doc, gen, options = [], [], None, None, []
    expect, exit_code, error_count = [], 1, None
    for raw in open(source, "rb"):
        line = raw.decode("utf-8").rstrip("\n")
        if line.startswith("-- template:"):
            body.append(line[len("-- template:"):].strip())
        elif line.startswith("-- part:"):
            name, xml = line[len("-- part:"):].strip().split(" ", 1)
            parts.append((name, xml))
        elif line.startswith("-- document:"):
            doc = (doc or "") + line[len("-- document:"):].strip()
        elif line.startswith("-- generate:"):
            gen = line[len("-- generate:"):].split()
        elif line.startswith("-- option:"):
            options.append(line[len("-- option:"):].strip())
        elif line.startswith("-- expect:"):
            expect.append(line[len("-- expect:"):].strip())
        elif line.startswith("-- expect-exit:"):
            exit_code = int(line.split(":", 1)[1])
        elif line.startswith("-- expect-errors:"):
            error_count = int(line.split(":", 1)[1])
    if not expect:
        sys.exit(f"{source}: no '-- expect:' line: a bad input must say what it expects")
    failures = []
    with tempfile.TemporaryDirectory() as work:
        template = os.path.join(work, "template.docx")
        if gen:
            GENERATORS[gen[0]](template, gen[1] if len(gen) > 1 else None)
        elif body or doc:
            package(template, [("word/document.xml", doc or document("".join(body)))] + parts)
        else:
            template = os.path.join(work, "not-a-template.docx")
            open(template, "w").write("просто текст")
        out_dir = os.path.join(work, "out")
        os.mkdir(out_dir)
        run = subprocess.run([binary, "fill", template, source, "-o", os.path.join(out_dir, "out.docx")] + options,
                             capture_output=True, preexec_fn=limit_child)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stderr = run.stderr.decode("utf-8", "replace")
        if run.returncode != exit_code:
            failures.append(f"exit code {run.returncode}, expected {exit_code}")
        for e in expect:
            if e not in stderr:
                failures.append(f"missing message: {e}")
        if error_count is not None and f"найдено ошибок: {error_count};" not in stderr:
            failures.append(f"expected exactly {error_count} error(s)")
        if os.listdir(out_dir):
            failures.append(f"files were written: {os.listdir(out_dir)}")
        if run.stdout:
            failures.append("something was printed on stdout")
        if peak_mb > 512 and not os.environ.get("ASAN_OPTIONS") and "asan" not in binary:
            failures.append(f"peak memory {peak_mb:.0f} MiB, over 512 MiB")
    if failures:
        print("stderr was:\n" + stderr)
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"ok: {source}: {len(expect)} message(s), exit {exit_code}, nothing written, peak {peak_mb:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
