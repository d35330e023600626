/**
 * The API Gateway mapping-template renderer: Velocity 1.7 on Java, as API Gateway runs it, not as
 * JavaScript would. Expected outputs marked "recorded" are what API Gateway itself returned
 * (LocalStack's AWS-validated snapshots, and ToQoz/api-gateway-mapping-template's recordings).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { VELOCITY_LEXER_FILE, parseMappingTemplate, renderMappingTemplate, type MappingRequest } from "../../lang/vtl";

/** The rendered text of a template for a body (and optional request parts). */
function render(template: string, body = "{}", request: Omit<MappingRequest, "body"> = {}): string {
  return renderMappingTemplate(template, { body, ...request }).output;
}

/** The request template of the project: the whole body, escaped into one JSON string. */
const ESCAPED_BODY_TEMPLATE = String.raw`#set($body = $input.json('$'))
{"input": "$util.escapeJavaScript($body).replaceAll("\\'", "'")"}`;

/** The same template as a published article printed it, with a single backslash. */
const ARTICLE_TEMPLATE = String.raw`#set($body = $input.json('$'))
{"input": "$util.escapeJavaScript($body).replaceAll("\'", "'")"}`;

function escapedBodyInput(body: string): unknown {
  const output = render(ESCAPED_BODY_TEMPLATE, body);
  return JSON.parse(JSON.parse(output).input);
}

describe("string literals", () => {
  it('keeps backslashes in a double-quoted literal as written, so "\\\\\'" is three characters', () => {
    expect(render(String.raw`#set($s = "\\'")$s $s.length()`)).toBe(String.raw`\\' 3`);
  });

  it("keeps backslashes in a single-quoted literal as written, even before the closing quote", () => {
    expect(render(String.raw`#set($s = '\\')$s $s.length()`)).toBe(String.raw`\\ 2`);
  });

  it("decodes \\uXXXX in a double-quoted literal, as Velocity 1.7 does", () => {
    expect(render(String.raw`#set($s = "caf\u00e9")$s`)).toBe("café");
  });

  it("keeps a backslash that does not touch VTL, and escapes a reference or directive with one", () => {
    expect(render(String.raw`#set($foo = "x")cost \$5 \# note | \$foo \#if`)).toBe(String.raw`cost \$5 \# note | $foo #if`);
  });

  it("interpolates references inside a double-quoted literal", () => {
    expect(render(`#set($name = "x")#set($s = "<$name>")$s`)).toBe("<x>");
  });
});

describe("$util.escapeJavaScript", () => {
  it("escapes quotes, backslashes, slashes and control characters as commons-lang 2 does", () => {
    const body = JSON.stringify({ s: "a'b\"c\\d/e\b\t\n\f\r\u0001\u001f~" });
    expect(render("$util.escapeJavaScript($input.path('$.s'))", body)).toBe(String.raw`a\'b\"c\\d\/e\b\t\n\f\r\u0001\u001F~`);
    expect(render(`#set($s = "~\u007f")$util.escapeJavaScript($s)`)).toBe("~\u007f"); // DEL is not escaped
  });

  it("writes characters above 0x7f as uppercase \\uXXXX, an astral character as two surrogate escapes", () => {
    const body = JSON.stringify({ s: "é\u0080中🚀" });
    expect(render("$util.escapeJavaScript($input.path('$.s'))", body)).toBe(String.raw`\u00E9\u0080\u4E2D\uD83D\uDE80`);
  });

  it("turns back \\' into ' with replaceAll(\"\\\\'\", \"'\"), the two-backslash Java regex", () => {
    expect(render(String.raw`$util.escapeJavaScript("it's").replaceAll("\\'", "'")`)).toBe("it's");
  });

  it.each([
    ["apostrophes", `{"name": "O'Brien's ''"}`],
    ["quotes", `{"q": "say \\"hi\\""}`],
    ["backslashes", `{"path": "C:\\\\dir\\\\", "pair": "\\\\'"}`],
    ["newlines and tabs", `{"text": "a\\nb\\r\\nc\\td"}`],
    ["unicode", `{"text": "é中文\\u2028\\u2029\\u0000\\u007f\\u0085"}`],
    ["astral characters", `{"emoji": "🚀\\ud83d\\ude80", "lone": "\\ud800"}`],
    ["slashes and VTL", `{"html": "</script>", "vtl": "$input.body #set($x = 1)"}`],
    ["a plain string", `"just a string"`],
  ])("with the replaceAll fix gives valid JSON holding a body with %s", (_, body) => {
    expect(escapedBodyInput(body)).toEqual(JSON.parse(body));
  });

  it("with the replaceAll fix gives valid JSON holding any JSON body", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ stringUnit: "binary" }).filter((value) => value !== null),
        (value) => {
          const body = JSON.stringify(value);
          expect(escapedBodyInput(body)).toEqual(JSON.parse(body));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("with the article's single-backslash replaceAll(\"\\'\", \"'\") leaves \\' and so invalid JSON for a body with an apostrophe", () => {
    const output = render(ARTICLE_TEMPLATE, `{"name": "O'Brien"}`);
    expect(output).toContain(String.raw`O\'Brien`);
    expect(() => JSON.parse(output)).toThrow();
  });
});

describe("$input", () => {
  it("$input.body is the raw body text", () => {
    expect(render("$input.body", '{ "a" :\n 1 }')).toBe('{ "a" :\n 1 }');
  });

  it("$input.body of an empty body is {} (recorded)", () => {
    expect(render("$input.body", "")).toBe("{}");
  });

  it("$input.json('$') is the whole body as compact JSON text, in json-smart's default style (/ as \\/)", () => {
    expect(render("$input.json('$')", '{ "a" : [1, 2.5, true, null], "b": {"c": "/"} }')).toBe('{"a":[1,2.5,true,null],"b":{"c":"\\/"}}');
  });

  it("$input.json and $input.path keep the body's key order, even for keys that look like numbers", () => {
    expect(render("$input.json('$') $input.path('$')", '{"b": 1, "2": 2, "a": {"1": true, "0": false}}')).toBe(
      '{"b":1,"2":2,"a":{"1":true,"0":false}} {b=1, 2=2, a={1=true, 0=false}}',
    );
  });

  it("reads a blank body as the empty string", () => {
    expect(render("[$input.path('$')] $input.json('$')", " \n\t ")).toBe('[] ""');
  });

  it("fails the render when a path is read in a body that is the JSON null, as Jayway JsonPath throws", () => {
    expect(() => render("$input.json('$')", "null")).toThrow(/root can not be null/);
  });

  it("drops the raw control characters of a JSON string that has an escape sequence, as json-smart does", () => {
    expect(render("$input.path('$.a')|$input.path('$.b')", '{"a": "x\u007fy\tz", "b": "\\n\u007fy\tz"}')).toBe("x\u007fy\tz|\nyz");
  });

  it("$input.json of a string field is the quoted JSON string", () => {
    expect(render("$input.json('$.name')", '{"name": "toqoz"}')).toBe('"toqoz"');
  });

  it("$input.json of an empty body is {} (recorded)", () => {
    expect(render("$input.json('$')", "")).toBe("{}");
  });

  it('$input.json of a missing path is ""', () => {
    expect(render("$input.json('$.missing')", '{"a": 1}')).toBe('""');
  });

  it("$input.json writes doubles with Java's Double.toString", () => {
    expect(render("$input.json('$.startDate')", '{"startDate": 1634283447.457}')).toBe("1.634283447457E9");
  });

  it("$input.path gives a Java string that string methods apply to", () => {
    expect(render("$input.path('$.name').toUpperCase()", '{"name": "toqoz"}')).toBe("TOQOZ");
  });

  it("$input.path supports $.a.b, $['a'], $.a[0] and negative indexes", () => {
    const body = '{"a": {"b": "ab", "list": ["x", "y", "z"]}, "odd key": 1}';
    expect(render(`$input.path('$.a.b') $input.path("$['odd key']") $input.path('$.a.list[0]') $input.path('$.a.list[-1]')`, body)).toBe(
      "ab 1 x z",
    );
  });

  it("$input.path of a missing field is null: it prints nothing and #set keeps the old value (recorded)", () => {
    expect(render(`#set($x = "kept")#set($x = $input.path('$.missing'))[$input.path('$.missing')][$x]`, '{"a": 1}')).toBe("[][kept]");
  });

  it("$input.path('$') of a body that does not start like JSON is the body as one string (recorded)", () => {
    expect(render(`{"name": "$input.path('$')"}`, "name=toqoz&x=a{b")).toBe('{"name": "name=toqoz&x=a{b"}');
  });

  it("fails the render when the body starts like JSON but is not JSON (recorded: 400 Could not process payload)", () => {
    expect(() => render("$input.path('$')", "{a")).toThrow(/Could not process payload/);
  });

  it("does not read the body when the template does not ask for it", () => {
    expect(render("ok", "{a")).toBe("ok");
  });

  it("fails the render on JSONPath it does not support", () => {
    expect(() => render("$input.path('$..a')", '{"a": 1}')).toThrow(/Unsupported JSONPath/);
  });

  it("$input.params(name) looks in the path, then the query string, then the headers", () => {
    const request = {
      pathParameters: { a: "path" },
      queryString: { a: "query", b: "query" },
      headers: { a: "header", b: "header", c: "header" },
    };
    expect(render("$input.params('a') $input.params('b') $input.params('c')", "{}", request)).toBe("path query header");
  });

  it("$input.params(name) is empty when there is no such parameter", () => {
    expect(render("[$input.params('nope')]#if($input.params('nope') == '') empty#end")).toBe("[] empty");
  });

  it("$input.params() is a map of path, querystring and header", () => {
    expect(render("$input.params()", "{}", { queryString: { q: "1" }, headers: { NAME: "TOQOZ" } })).toBe(
      "{path={}, querystring={q=1}, header={NAME=TOQOZ}}",
    );
  });
});

describe("printing as Java does", () => {
  it.each([
    ["$input.path('$')", '{"foo": "bar"}', "{foo=bar}"],
    ["$input.path('$')", '[{"foo": "bar"}]', '[{"foo":"bar"}]'],
    ["$input.path('$').nested", '{"nested": {"foo": "bar"}}', "{foo=bar}"],
    ["$input.path('$').nested", '{"nested": [{"foo": "bar"}]}', '[{"foo":"bar"}]'],
    ["$input.path('$')[0]", '[{"foo": "bar"}]', "{foo=bar}"],
    ["$input.path('$')[0]", '[[{"foo": "bar"}]]', '[{"foo":"bar"}]'],
    ["$input.path('$')", '{"foo": [{"nested": "bar"}]}', '{foo=[{"nested":"bar"}]}'],
    ["$input.path('$')", '{"bigger": "dict", "to": "test", "with": "separators"}', "{bigger=dict, to=test, with=separators}"],
    ["$input.path('$').toString()", '{"list": [{"foo": "bar"}]}', '{list=[{"foo":"bar"}]}'],
    [
      `#set($result = $input.path("$.nonExisting")){"body": $result, "nested": $result.nested, "isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}`,
      "",
      '{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}',
    ],
  ])("renders %s for the body %s as API Gateway did (recorded)", (template, body, expected) => {
    expect(render(template, body)).toBe(expected);
  });

  it("prints a map as {k=v, k2=v2}", () => {
    expect(render(`#set($m = {"a": 1, "b": "x"})$m`)).toBe("{a=1, b=x}");
  });

  it("prints a list built in the template as [a, b]", () => {
    expect(render(`#set($l = [1, "two", true])$l`)).toBe("[1, two, true]");
  });

  it("prints a list read from JSON as json-smart's compact JSON, with / escaped", () => {
    expect(render("$input.path('$.l')", '{"l": [1, "a/b", {"k": "v"}, null]}')).toBe('[1,"a\\/b",{"k":"v"},null]');
  });

  it("prints JSON integers as integers, exactly even beyond 2^53", () => {
    expect(render("$input.path('$.i') $input.path('$.big')", '{"i": 42, "big": 12345678901234567890}')).toBe("42 12345678901234567890");
  });

  it("reads a decimal written with more than 18 characters as a BigDecimal, exactly as written", () => {
    const body = '{"a": 1.00000000000000000000001, "b": 1.7976931348623157e+308, "c": 0.0000000000000000001, "d": 1.2345678901234567}';
    expect(
      render(
        "$input.path('$.a') $input.path('$.b') $input.path('$.c') $input.path('$.d') $input.json('$.b')#if($input.path('$.a') > 1) more#end",
        body,
      ),
    ).toBe("1.00000000000000000000001 1.7976931348623157E+308 1E-19 1.2345678901234567 1.7976931348623157E+308 more");
  });

  it("compares integers beyond 2^53 exactly", () => {
    expect(
      render("#if($input.path('$.a') == $input.path('$.b'))same#{else}different#end", '{"a": 9007199254740993, "b": 9007199254740992}'),
    ).toBe("different");
  });

  it("prints JSON decimals with Java's Double.toString", () => {
    const body = '{"t": 1634283447.457, "half": 0.5, "small": 0.0001, "one": 1.0, "huge": 1e21, "neg": -2.5}';
    expect(
      render(
        "$input.path('$.t') $input.path('$.half') $input.path('$.small') $input.path('$.one') $input.path('$.huge') $input.path('$.neg')",
        body,
      ),
    ).toBe("1.634283447457E9 0.5 1.0E-4 1.0 1.0E21 -2.5");
  });

  it("prints a null reference as nothing, as API Gateway does (plain Velocity would print $foo)", () => {
    expect(render("[$foo][$!foo][${foo.bar}][$foo.bar()]")).toBe("[][][][]");
  });

  it("prints the result of String.split as a Java array, not a list", () => {
    expect(render(`#set($s = "a,b")#set($parts = $s.split(","))$parts`)).toMatch(/^\[Ljava\.lang\.String;@[0-9a-f]+$/);
  });
});

describe("Velocity 1.7 directives and operators", () => {
  it("#set with a null value leaves the variable unchanged", () => {
    expect(render(`#set($x = "old")#set($x = $missing)$x`)).toBe("old");
  });

  it("#if holds 0 and the empty string true, null and false false", () => {
    expect(render(`#set($z = 0)#set($e = "")#set($f = false)#if($z)z#end#if($e)e#end#if($f)f#end#if($missing)m#end`)).toBe("ze");
  });

  it("#if, #elseif and #else take the first true branch", () => {
    expect(render(`#set($s = "b")#if($s == "a")A#elseif($s == "b")B#elseif($s == "b")C#{else}D#end`)).toBe("B");
  });

  it("== compares strings by value", () => {
    expect(render(`#set($a = "SUCC")#set($b = "\${a}EEDED")#if($b == "SUCCEEDED")same#end`)).toBe("same");
  });

  it("== compares numbers by value across Integer and Double, and a string and a number by their text", () => {
    expect(render(`#if(1 == 1.0)a#end#if("1" == 1)b#end#if(2 == 3)c#end`)).toBe("ab");
  });

  it('null == "" is true, as on API Gateway (recorded)', () => {
    expect(render(`#if($missing == "")yes#end`)).toBe("yes");
  });

  it("&&, || and ! use Velocity's truth", () => {
    expect(render(`#set($s = "x")#if($s && !$missing)a#end#if($missing || $s == "x")b#end`)).toBe("ab");
  });

  it("#foreach gives $foreach.hasNext, index and count", () => {
    expect(render(`#foreach($i in ["a", "b", "c"])$foreach.index:$foreach.count:$i#if($foreach.hasNext),#end#end`)).toBe(
      "0:1:a,1:2:b,2:3:c",
    );
  });

  it("#foreach over a map goes through its values, and keySet() gives the keys", () => {
    expect(
      render(`#set($m = $input.path('$'))#foreach($v in $m)$v#end #foreach($k in $m.keySet())$k=$m.get($k);#end`, '{"x": 1, "y": 2}'),
    ).toBe("12 x=1;y=2;");
  });

  it("#foreach over a list read from JSON iterates its elements", () => {
    expect(render(`#foreach($r in $input.path('$.records'))$r.id #end`, '{"records": [{"id": "a"}, {"id": "b"}]}')).toBe("a b ");
  });

  it("#break leaves the #foreach at once", () => {
    expect(render(`#foreach($i in [1..5])#if($i == 3)#break#end$i#end after`)).toBe("12 after");
  });

  it("integer division truncates; a double makes it double; dividing by zero gives null", () => {
    expect(render(`#set($a = 7 / 2)#set($b = 7.0 / 2)#set($c = -7 / 2)#set($d = "kept")#set($d = 1 / 0)$a $b $c $d`)).toBe("3 3.5 -3 kept");
  });

  it("+ concatenates when either side is a string", () => {
    expect(
      render(`#set($type = "ns#Name")#set($start = $type.lastIndexOf('#') + 1)#set($s = "n" + $start)$s $type.substring($start)`),
    ).toBe("n3 Name");
  });

  it("swallows the newline after a directive line, as Velocity 1.7 does", () => {
    expect(render("#set($a = 1)\n#if($a == 1)\nyes\n#else\nno\n#end\ndone\n")).toBe("yes\ndone\n");
  });

  it("swallows blanks just before #set but keeps those before #if", () => {
    expect(render("{\n  #set($a = 1)\n  #if(true)x#end\n}")).toBe("{\n    x}");
  });

  it("swallows the newline after a ## comment, which prints nothing", () => {
    expect(render("## a comment\nbody #* block *# end")).toBe("body  end");
  });
});

describe("Java String methods", () => {
  it("replaceAll takes a Java regex, with $1 for a group and \\$ for a dollar in the replacement", () => {
    expect(render(String.raw`#set($s = "a1b22")$s.replaceAll("(\d+)", "<$1>") $s.replaceAll("\d", "\$")`)).toBe("a<1>b<22> a$b$$");
  });

  it("replaceFirst replaces the first match only", () => {
    expect(render(`$input.path('$.s').replaceFirst("o", "0")`, '{"s": "foo"}')).toBe("f0o");
  });

  it("replace replaces every occurrence literally, without regex", () => {
    expect(render(`#set($s = "a.b.c$")$s.replace(".", "-").replace("$", "\\$1")`)).toBe("a-b-c\\$1");
  });

  it("a Java regex reads \\' as an apostrophe and \\Q...\\E literally", () => {
    expect(render(String.raw`#set($s = "it's a.b")$s.replaceAll("\'", "_") $s.replaceAll("\Q.\E", "!")`)).toBe("it_s a.b it's a!b");
  });

  it("a Java regex $ also matches before a final newline, and \\s is ASCII-only", () => {
    const body = JSON.stringify({ s: "end\n", nb: "a\u00a0b c" });
    expect(render(String.raw`$input.path('$.s').replaceAll("d$", "D")|$input.path('$.nb').replaceAll("\s", "_")`, body)).toBe(
      "enD\n|a\u00a0b_c",
    );
  });

  it("fails the render on an invalid regex or replacement, as Java throws", () => {
    expect(() => render(`$input.path('$.s').replaceAll("(", "")`, '{"s": "x"}')).toThrow(/Java regex/);
    expect(() => render(`$input.path('$.s').replaceAll("x", "$2")`, '{"s": "x"}')).toThrow(/no group 2/);
  });

  it("matches requires the whole string to match", () => {
    expect(render(`#set($s = "ab")$s.matches("a") $s.matches("a.") $s.matches("a|ab") $s.matches("[a-z]+")`)).toBe("false true true true");
  });

  it("split takes a regex and drops trailing empty strings", () => {
    expect(render(String.raw`#set($s = "a, b,,c,,")#set($p = $s.split(",\s*"))$p.size():#foreach($x in $p)[$x]#end`)).toBe("4:[a][b][][c]");
  });

  it("length(), isEmpty() and trim() follow Java", () => {
    expect(
      render(
        `$input.path('$.s').length() $input.path('$.s').trim().length() $input.path('$.e').isEmpty()`,
        '{"s": " \\u0001x\\t", "e": ""}',
      ),
    ).toBe("4 1 true");
  });

  it("contains, startsWith, endsWith, equals and equalsIgnoreCase compare text", () => {
    expect(
      render(`#set($s = "Hello")$s.contains("ell") $s.startsWith("He") $s.endsWith("lo") $s.equals("hello") $s.equalsIgnoreCase("hello")`),
    ).toBe("true true true false true");
  });

  it("indexOf, lastIndexOf, substring, charAt, toLowerCase and toUpperCase index by UTF-16 unit", () => {
    expect(
      render(
        `#set($s = "a.b.c")$s.indexOf(".") $s.lastIndexOf(".") $s.substring(2) $s.substring(1, 3) $s.charAt(4) $s.toUpperCase() $s.toUpperCase().toLowerCase()`,
      ),
    ).toBe("1 3 b.c .b c A.B.C a.b.c");
  });

  it("substring out of range fails the render, as Java throws StringIndexOutOfBoundsException", () => {
    expect(() => render(`#set($s = "abc")$s.substring(5)`)).toThrow(/StringIndexOutOfBoundsException/);
  });

  it("a method Java does not have gives null, which prints nothing", () => {
    expect(render(`#set($s = "abc")[$s.noSuchMethod()][$s.length][$s.substring("x")]`)).toBe("[][][]");
  });
});

describe("$util", () => {
  it("parseJson gives a Java map: printed {k=v}, read by property and get()", () => {
    expect(
      render(
        `#set($o = $util.parseJson($input.path('$.doc')))$o $o.key2.arr[1] $o.get("key1")`,
        JSON.stringify({ doc: '{"key1": "var1", "key2": {"arr": [1, 2, 3]}}' }),
      ),
    ).toBe("{key1=var1, key2={arr=[1,2,3]}} 2 var1");
  });

  it("urlEncode encodes as Java's URLEncoder, with a space as +", () => {
    expect(render(`$util.urlEncode("a b&c=d/é*~'")`)).toBe("a+b%26c%3Dd%2F%C3%A9*%7E%27");
  });

  it("urlDecode decodes + and %XX as UTF-8", () => {
    expect(render(`$util.urlDecode("a+b%26c%3D%C3%A9")`)).toBe("a b&c=é");
  });

  it("base64Encode and base64Decode use UTF-8", () => {
    expect(render(`$util.base64Encode("héllo") $util.base64Decode("aMOpbGxv")`)).toBe("aMOpbGxv héllo");
  });

  it("a $util function of null gives null, which prints nothing (recorded)", () => {
    expect(render("EncodedBodyAccess=$util.urlEncode($input.body.testAccess)", "")).toBe("EncodedBodyAccess=");
  });
});

describe("$context", () => {
  it("captures $context.responseOverride.status as a number, and the headers set", () => {
    const result = renderMappingTemplate(
      `#set($context.responseOverride.status = 504)#set($context.responseOverride.header.Location = "/next")`,
      { body: "{}" },
    );
    expect(result.responseOverride).toEqual({ status: 504, header: { Location: "/next" } });
  });

  it("reports no status and no headers when the template overrides nothing", () => {
    expect(renderMappingTemplate("x", { body: "{}" }).responseOverride).toEqual({ header: {} });
  });

  it("lets the template read back what it set in responseOverride (recorded)", () => {
    expect(render(`#set($context.responseOverride.status = 444)#set($s = $context.responseOverride.status)"$s"`)).toBe('"444"');
  });

  it("has sensible defaults, and takes given values, merged into identity", () => {
    const request = { context: { httpMethod: "GET", identity: { sourceIp: "198.51.100.7" } }, stageVariables: { env: "dev" } };
    expect(
      render(
        "$context.httpMethod $context.identity.sourceIp $context.identity.userAgent $context.stage $stageVariables.env",
        "{}",
        request,
      ),
    ).toBe("GET 198.51.100.7 local local dev");
    expect(render("$context.requestId")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("rendering", () => {
  it("starts each render from a fresh context", () => {
    const first = renderMappingTemplate(`#set($input = "replaced")#set($context.responseOverride.status = 500)#set($x = 1)$input`, {
      body: '{"a": 1}',
    });
    expect(first.output).toBe("replaced");
    const second = renderMappingTemplate("$input.json('$.a') [$x]", { body: '{"a": 2}' });
    expect(second).toEqual({ output: "2 []", responseOverride: { header: {} } });
  });

  it("does not change the request it is given", () => {
    const request = { body: "{}", headers: { h: "1" }, context: { identity: { sourceIp: "1.2.3.4" } } };
    render(`#set($context.identity.sourceIp = "x")#set($m = $input.params().header)#set($m.h = "2")`, "{}", request);
    expect(request).toEqual({ body: "{}", headers: { h: "1" }, context: { identity: { sourceIp: "1.2.3.4" } } });
  });
});

describe("parseMappingTemplate", () => {
  it("accepts a valid template", () => {
    expect(() => parseMappingTemplate(ESCAPED_BODY_TEMPLATE, "request.vtl")).not.toThrow();
  });

  it("names the source, line and column of a syntax error", () => {
    expect(() => parseMappingTemplate("{\n#set($a = = 1)\n}", "templates/bad.vtl")).toThrow(/^templates\/bad\.vtl:2:\d+: VTL syntax error/);
  });

  it("rejects an #if without #end, naming where it opens", () => {
    expect(() => parseMappingTemplate("a\n  #if($x)\nb", "open.vtl")).toThrow("open.vtl:2:3: VTL syntax error: #if is not closed by #end");
  });

  it("rejects an #end without a block", () => {
    expect(() => parseMappingTemplate("a #end b", "stray.vtl")).toThrow(/^stray\.vtl:1:3: VTL syntax error: #end without/);
  });

  it("rejects a broken directive inside an interpolated string literal, naming where the literal is", () => {
    expect(() => parseMappingTemplate('x\n#set($s = "#if($a)")', "literal.vtl")).toThrow(
      /^literal\.vtl \(string literal at 2:1\):1:1: VTL syntax error: #if is not closed/,
    );
  });

  it("makes renderMappingTemplate throw the same error", () => {
    expect(() => render("#foreach($a in $b)")).toThrow(/mapping template:1:1: VTL syntax error: #foreach is not closed/);
  });
});

describe("velocityjs's private lexer, which parse.ts loads by path", () => {
  it("is still at dist/cjs/parse/index.cjs and gives the flat token list, #end included", () => {
    expect(fs.existsSync(VELOCITY_LEXER_FILE)).toBe(true);
    const tokens = require(VELOCITY_LEXER_FILE).parse_1("#if($a)x#end");
    expect(tokens.map((token: string | { type: string }) => (typeof token === "string" ? token : token.type))).toEqual(["if", "x", "end"]);
  });
});
