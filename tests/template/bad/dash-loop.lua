-- docxtemplater's {-w:tr x}: one message, no follow-on errors for {name} or {/items}.
-- template: <w:tbl><w:tr><w:tc><w:p><w:r><w:t>{-w:tr items}{name}{/items}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
-- expect: тег {-w:tr items}: явное указание, что повторять ({-w:tr x}, {-w:p x}), не поддерживается: пишите {#x}…{/x}
-- expect-errors: 1
return { items = { { title = "без поля name" } } }
