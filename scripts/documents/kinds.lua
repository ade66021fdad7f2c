-- The document kinds the generator makes, in the order `build` makes them. Each is a module
-- documents/<kind>.lua with view(model, options) -> view | nil, reason and pdf(view) -> the
-- layout for nastavnik.pdf.
return {
  "roadmap",
  "order-roadmap",
  "order-pairs",
  "order-curator",
}
