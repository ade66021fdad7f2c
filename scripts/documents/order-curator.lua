-- Document kind "order-curator": the order appointing the curator of the target model of
-- mentoring in the organisation, one per order of kind "curator" (order.appoints says whom,
-- else the described curator); a draft when there is none.

local common = require "documents.common"
local order = require "documents.order"
local russian = require "nastavnik.russian"

local kind = { kind = "order-curator", title = "Приказ о назначении куратора",
  folder = "Приказы", file_name = "Приказ о назначении куратора", for_municipality = false,
  position = 40,
  says = { "ПРИКАЗ", "куратором внедрения целевой модели наставничества" },
  order_kind = "curator", order_kind_title = "о назначении куратора" }

function kind.draft() return true end

function kind.instances(model, options) return order.instances(kind, model, options) end

function kind.view(model, options)
  local org, the_order = order.subject(kind, model, options)
  if not org then return nil, the_order end
  local short = org.short_name or org.name
  local curator = the_order and the_order.appoints or org.curator
  local missing = {}
  local who
  if curator then
    who = russian.person_with_post(curator, "accusative")
  else
    who = common.BLANK_LINE
    missing[#missing + 1] = "нет данных о кураторе (поле curator): ФИО оставлено для заполнения от руки"
  end
  local points = {
    { text = "Назначить " .. who .. ", куратором внедрения целевой модели наставничества в " .. short .. "." },
    { text = "Куратору:", points = {
      { text = "организовать формирование базы наставников и наставляемых;" },
      { text = "организовать формирование наставнических пар (групп) и разработку персонализированных "
        .. "программ наставничества;" },
      { text = "осуществлять мониторинг реализации программ наставничества и представлять его "
        .. "результаты руководителю;" },
      { text = "обеспечить размещение информации о реализации целевой модели наставничества на "
        .. "официальном сайте " .. short .. "." },
    } },
  }
  return order.view(org, {
    order = the_order,
    kind = "curator",
    default_title = "О назначении куратора внедрения целевой модели наставничества",
    preamble = "В соответствии с " .. order.BASIS_TARGET_MODEL .. ", в целях организации работы по "
      .. "внедрению целевой модели наставничества в " .. short,
    points = points,
    people = { curator },
    missing = missing,
  })
end

function kind.pdf(view)
  return order.pdf(view, function() return {} end)
end

return kind
