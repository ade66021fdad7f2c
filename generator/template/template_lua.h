/*
 * template_lua: the Lua module "nastavnik.template".
 *
 *   local template = require "nastavnik.template"
 *   local ok, messages = template.fill(template_path, view, out_path, filters, options)
 *     -> true, { "warning", ... } | nil, { "error", ... }
 *
 * filters (optional) maps a filter name to a function(value) -> value; options (optional):
 * { missing = "error" (the default) | "empty" } — what a name the view lacks gives. Warnings
 * name parts the engine does not fill that hold something like a tag. Out of memory is raised
 * as a Lua error (generator/memory.h), so that it reaches the command as exit code 4.
 *
 *   local share <close> = template.share()
 *   template.fill(docx, view, out_docx, filters, { share = share }); … (odt, the same view)
 *
 * options.share: the fills of one document read each rich-text and table value of the view
 * once (generator/view/view.h: view_share_new); the view must not change between them.
 * template.use(share) makes the reads of other writers (the PDF's) go through it too, until
 * template.use(nil).
 */
#ifndef NASTAVNIK_TEMPLATE_LUA_H
#define NASTAVNIK_TEMPLATE_LUA_H

#include <lua.h>

int luaopen_nastavnik_template(lua_State *L);

#endif
