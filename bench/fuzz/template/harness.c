/*
 * The `template` fuzz target (bench/fuzz/README.md): a template fill from hostile bytes.
 *
 * Input: DATA "\0" KIND PART, where DATA is a Lua table constructor (the view; it runs in an
 * empty environment under an instruction budget, and a broken one gives an empty view), KIND is
 * 'D' (PART is word/document.xml of a DOCX) or 'O' (PART is content.xml of an ODT), and PART the
 * mutated XML. The fill must end without a crash or a sanitizer report, and whatever it writes
 * must be well-formed XML (checked here: a part that is not is a finding).
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "template/template.h"
#include "zip/package.h"

static lua_State *L;
static char template_path[64], out_path[64];

static void budget(lua_State *l, lua_Debug *ar) {
  (void)ar;
  luaL_error(l, "budget");
}

/* Filters the data may name: upper-case ASCII, and one that fails. */
/* The run's two files go with it (a run that ends in a finding keeps them: they are evidence). */
static void remove_files(void) {
  unlink(template_path);
  unlink(out_path);
}

static int filter_upper(lua_State *l) {
  size_t n;
  const char *s = lua_tolstring(l, 1, &n);
  if (!s) return 1;
  luaL_Buffer b;
  char *p = luaL_buffinitsize(l, &b, n);
  for (size_t i = 0; i < n; i++) p[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
  luaL_pushresultsize(&b, n);
  return 1;
}
static int filter_fail(lua_State *l) {
  return luaL_error(l, "фильтр не сработал");
}

static void add(zip_t *z, const char *name, const void *data, size_t size) {
  zip_source_t *s = zip_source_buffer(z, data, size, 0);
  if (!s || zip_file_add(z, name, s, 0) < 0) abort();
}

static const char CT[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default "
    "Extension=\"xml\" "
    "ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";
static const char MANIFEST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest "
    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry "
    "manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
    "</manifest:manifest>";

/* Every entry of the output that ends in .xml and was changed by the fill must parse (a part
 * without tags is copied as it was, well-formed or not). */
static void check_output(const char *part, size_t part_len) {
  char *error = NULL;
  ZipPackage *p = zip_package_open(out_path, &error);
  if (!p) { /* a fill that succeeded wrote a package */
    fprintf(stderr, "finding: the fill succeeded but its output is not a package: %s\n",
            error ? error : "?");
    abort();
  }
  free(error);
  error = NULL;
  for (size_t i = 0; i < zip_package_count(p); i++) {
    const char *name = zip_package_name(p, i);
    size_t len = strlen(name);
    if (len < 4 || strcmp(name + len - 4, ".xml") != 0) continue;
    size_t size;
    char *data = zip_package_read(p, i, &size, &error);
    free(error);
    error = NULL;
    if (!data) {
      fprintf(stderr, "finding: the output's %s cannot be read\n", name);
      abort();
    }
    if ((strcmp(name, "word/document.xml") == 0 || strcmp(name, "content.xml") == 0) &&
        size == part_len && memcmp(data, part, size) == 0) {
      free(data);
      continue;
    }
    xmlDoc *doc = xmlReadMemory(data, (int)size, name, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
      fprintf(stderr, "finding: not well-formed output: %s\n", name);
      abort();
    }
    xmlFreeDoc(doc);
    free(data);
  }
  zip_package_close(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
  if (!L) {
    L = luaL_newstate();
    /* in memory where the system has it: the fill reads and writes files */
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(template_path, sizeof template_path, "%s/fuzz-template-%d.zip", dir, (int)getpid());
    snprintf(out_path, sizeof out_path, "%s/fuzz-out-%d.zip", dir, (int)getpid());
    atexit(remove_files);
  }
  const uint8_t *nul = memchr(bytes, 0, size);
  if (!nul || nul + 1 >= bytes + size) return 0;
  size_t data_len = (size_t)(nul - bytes);
  char kind = (char)nul[1];
  const char *part = (const char *)nul + 2;
  size_t part_len = size - data_len - 2;
  if (kind != 'D' && kind != 'O') return 0;

  /* the view */
  lua_settop(L, 0);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "return ");
  luaL_addlstring(&b, (const char *)bytes, data_len);
  luaL_pushresult(&b);
  size_t code_len;
  const char *code = lua_tolstring(L, -1, &code_len);
  int ok = luaL_loadbufferx(L, code, code_len, "=data", "t") == LUA_OK;
  if (ok) {
    lua_newtable(L); /* an empty environment */
    lua_setupvalue(L, -2, 1);
    lua_sethook(L, budget, LUA_MASKCOUNT, 100000);
    ok = lua_pcall(L, 0, 1, 0) == LUA_OK && lua_istable(L, -1);
    lua_sethook(L, NULL, 0, 0);
  }
  if (!ok) {
    lua_settop(L, 0);
    lua_newtable(L);
  }
  int view = lua_gettop(L);
  lua_newtable(L);
  lua_pushcfunction(L, filter_upper);
  lua_setfield(L, -2, "upper");
  lua_pushcfunction(L, filter_fail);
  lua_setfield(L, -2, "fail");
  int filters = lua_gettop(L);

  /* the package */
  int code_err;
  zip_t *z = zip_open(template_path, ZIP_CREATE | ZIP_TRUNCATE, &code_err);
  if (!z) abort();
  if (kind == 'D') {
    add(z, "[Content_Types].xml", CT, sizeof CT - 1);
    add(z, "word/document.xml", part, part_len);
  } else {
    add(z, "mimetype", "application/vnd.oasis.opendocument.text", 39);
    add(z, "META-INF/manifest.xml", MANIFEST, sizeof MANIFEST - 1);
    add(z, "content.xml", part, part_len);
  }
  if (zip_close(z) != 0) abort();

  unlink(out_path);
  TemplateErrors errors = {0}, warnings = {0};
  TemplateOptions options = {.missing_empty = data_len % 2};
  int rc = template_fill(L, template_path, view, filters, out_path, &options, &errors, &warnings);
  if (rc == TEMPLATE_OK)
    check_output(part, part_len);
  else if (access(out_path, F_OK) == 0) { /* a failed fill writes nothing */
    fprintf(stderr, "finding: a failed fill left its output\n");
    abort();
  }
  template_errors_free(&errors);
  template_errors_free(&warnings);
  lua_settop(L, 0);
  lua_gc(L, LUA_GCSTEP, 0);
  return 0;
}
