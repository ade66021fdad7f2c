-- Document kind "order-roadmap": the order approving the roadmap ("Об утверждении дорожной
-- карты …"), with the roadmap itself as appendix 1 and the acquaintance sheet.

local common = require "documents.common"
local order = require "documents.order"
local roadmap = require "documents.roadmap"
local russian = require "nastavnik.russian"
local pc = require "documents.participants-common"

local kind = { kind = "order-roadmap", title = "Приказ об утверждении дорожной карты",
  folder = "Приказы", file_name = "Приказ об утверждении дорожной карты", for_municipality = true,
  position = 20, landscape = true,
  says = { "ПРИКАЗ", "ПРИКАЗЫВАЮ", "Приложение", "С приказом ознакомлены" },
  order_kind = "roadmap", order_kind_title = "об утверждении дорожной карты" }

-- A draft for an organisation whose roadmap has no order yet.
function kind.draft(org) return org.roadmap ~= nil end

function kind.instances(model, options) return order.instances(kind, model, options) end

function kind.view(model, options)
  local org, the_order = order.subject(kind, model, options)
  if not org then return nil, the_order end
  local rm_view, rm_err = roadmap.view(model, options)
  if not rm_view then return nil, rm_err end
  local short = org.short_name or org.name
  local year = rm_view.year and (" на " .. rm_view.year) or ""
  local named, missing = {}, {}
  -- Where the roadmap is carried out, as the roadmap says it: "в МБОУ «СШ № 1»", or for a
  -- municipality "в образовательных организациях Сосновского муниципального округа".
  local points = {
    { text = "Утвердить дорожную карту реализации целевой модели наставничества " .. pc.where(org) .. year
      .. " (приложение " .. russian.number(1) .. ")." },
  }
  local curator = order.curator(org, the_order, missing)
  if curator then
    points[#points + 1] = { text = "Возложить ответственность за реализацию дорожной карты на куратора "
      .. "внедрения целевой модели наставничества " .. russian.person_with_post(curator, "accusative") .. "." }
    named[#named + 1] = curator
  elseif org.curator or #order.of_kind(org, "curator") > 0 then
    points[#points + 1] = { text = "Возложить ответственность за реализацию дорожной карты на куратора "
      .. "внедрения целевой модели наставничества " .. common.BLANK_LINE .. "." }
  end
  points[#points + 1] = { text = "Ответственным лицам, указанным в дорожной карте, обеспечить выполнение "
    .. "мероприятий в установленные сроки." }
  points[#points + 1] = { text = "Разместить дорожную карту на официальном сайте " .. short
    .. " в течение десяти рабочих дней со дня подписания настоящего приказа." }
  -- Everyone the roadmap names as responsible signs the acquaintance sheet.
  for _, stage in ipairs(org.roadmap.stages) do
    local function walk(items)
      for _, item in ipairs(items) do
        for _, source in ipairs({ item, table.unpack(item.rows or {}) }) do
          for _, person in ipairs(source.responsible and source.responsible.people or {}) do
            named[#named + 1] = person
          end
        end
        walk(item.items or {})
      end
    end
    walk(stage.items)
  end
  if org.coordinator then named[#named + 1] = org.coordinator end
  local view = order.view(org, {
    order = the_order,
    missing = missing,
    kind = "roadmap",
    default_title = "Об утверждении дорожной карты реализации целевой модели наставничества" .. year,
    preamble = "В соответствии с " .. order.BASIS_TARGET_MODEL .. ", в целях реализации целевой модели "
      .. "наставничества " .. pc.where(org),
    points = points,
    people = named,
    appendices = { { kind = "roadmap", orientation = "landscape", roadmap = rm_view } },
  })
  return view
end

function kind.pdf(view)
  return order.pdf(view, function(_, appendix) return roadmap.body_blocks(appendix.roadmap) end)
end

return kind
