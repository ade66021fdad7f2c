-- The document kinds the generator makes, in the order `build` makes them. Each is a module
-- documents/<kind>.lua with view(model, options) -> view | nil, reason and pdf(view) -> the
-- layout for nastavnik.pdf; folder and file_name place it in the tree `build` writes;
-- for_municipality says a municipality has one too; only_municipality that only a
-- municipality has one; instances(model, options) lists the copies of a kind made once per
-- pair or person.
return {
  "roadmap",
  "order-roadmap",
  "order-pairs",
  "order-curator",
  "order-regulation",
  "plan",
  "consent-data",
  "consent-mentor",
  "roadmap-report",
  "practices",
  "monitoring",
}
