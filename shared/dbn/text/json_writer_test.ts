import assert from "node:assert/strict";
import { JsonWriter } from "./json_writer.ts";

function sample(pretty: boolean): string {
  const out = new JsonWriter(pretty).beginObject();
  out.key("number").raw("42");
  out.key("array").beginArray().item().raw("42").item().string("?").endArray();
  out.key("object").beginObject().endObject();
  out.key("empty").beginArray().endArray();
  out.key("nested").beginArray().item().beginObject().field("a", null).endObject().endArray();
  return out.endObject().toString();
}

// Compact layout: the json-writer crate's own test_misc_examples output, plus nesting.
Deno.test("JsonWriter compact layout has no whitespace", () => {
  assert.equal(
    sample(false),
    '{"number":42,"array":[42,"?"],"object":{},"empty":[],"nested":[{"a":null}]}',
  );
});

// Pretty layout as PrettyJSONWriter::with_indent(buffer, "    ") writes it.
Deno.test("JsonWriter pretty layout indents four spaces and keeps empty containers inline", () => {
  assert.equal(
    sample(true),
    [
      "{",
      '    "number": 42,',
      '    "array": [',
      "        42,",
      '        "?"',
      "    ],",
      '    "object": {},',
      '    "empty": [],',
      '    "nested": [',
      "        {",
      '            "a": null',
      "        }",
      "    ]",
      "}",
    ].join("\n"),
  );
});

Deno.test("JsonWriter rejects closing more than it opened", () => {
  assert.throws(() => new JsonWriter().endObject(), RangeError);
});
