/*
 * Reference renderer of API Gateway REST mapping templates on the real engine, for the
 * differential test __tests__/lang/vtl-conformance.test.ts.
 *
 * API Gateway renders REST mapping templates with Apache Velocity 1.7 on Java, reads JSON with
 * json-smart behind Jayway JsonPath and escapes with commons-lang 2's
 * StringEscapeUtils.escapeJavaScript (which libraries, which versions and which JDK are
 * undocumented (U12, U13): the guide names only VTL and JSONPath; the behaviour recorded on AWS
 * points to these). This program runs Debian's builds of exactly those (velocity
 * 1.7, libjson-smart-java 2.2, libjsonpath-java 2.0.0, libcommons-lang-java 2.6, with the
 * commons-collections 3 Velocity needs), and adds only the API Gateway layer around them: $input,
 * $util, $context (with responseOverride) and $stageVariables.
 *
 * That layer follows the AWS developer guide where it says something:
 *   [VARS]     "Variables for data transformations for API Gateway" (formerly "API Gateway mapping
 *              template and access logging variable reference"),
 *              https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 *   [OVERRIDE] "Override your API's request and response parameters and status codes for REST APIs
 *              in API Gateway",
 *              https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 * and, where the guide is silent, models AWS as lang/vtl/ does, so that the test compares the
 * engines and not two guesses. Every such place is marked "undocumented (Un)"; the numbered list
 * of these behaviours, with what is known of each, is the one in docs/local.md, section
 * "Fidelity of the mapping templates".
 *
 * Emulations: a divergence between plain Velocity 1.7 and API Gateway that the project keeps on
 * purpose is listed in __tests__/lang/vtl-divergences.json, and implemented here under the same
 * id, on top of the engine (a node of the parsed template replaced by a subclass). A case asks for
 * the emulations it wants; without any, this is plain Velocity 1.7.
 *
 * Protocol: JSON lines on standard input, answers as JSON lines on standard output, in order. The
 * JSON is ASCII both ways (all else as \\uXXXX), so UTF-16 text, lone surrogates included, goes
 * through unchanged.
 *   {"define": "<template id>", "template": "<text>"}
 *     -> {"define": "<template id>"} or {"define": "<template id>", "error": "<why it does not parse>"}
 *   {"id": <any>, "template": "<template id>", "modes": [[<emulation id>...], ...],
 *    "body": "...", "headers": {...}, "queryString": {...}, "pathParameters": {...},
 *    "stageVariables": {...}, "context": {...}}
 *     -> {"id": <any>, "results": [one per mode: {"output": "...", "status": "<n>" or absent,
 *        "header": {...}} or {"error": "<what Java threw>"}]}
 *
 * Build and run (the test does this): javac -d OUT VelocityReference.java with the jars above on the
 * class path, then java -cp OUT:JARS VelocityReference.
 */

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JsonSmartJsonProvider;
import com.jayway.jsonpath.spi.mapper.JsonSmartMappingProvider;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONStyle;
import net.minidev.json.JSONValue;
import net.minidev.json.parser.JSONParser;
import net.minidev.json.reader.JsonWriterI;
import net.minidev.json.writer.DefaultMapperOrdered;
import net.minidev.json.writer.JsonReaderI;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.log.NullLogChute;
import org.apache.velocity.runtime.parser.node.ASTEQNode;
import org.apache.velocity.runtime.parser.node.ASTNENode;
import org.apache.velocity.runtime.parser.node.Node;
import org.apache.velocity.runtime.parser.node.SimpleNode;

public final class VelocityReference {
  private VelocityReference() {}

  // -------------------------------------------------------------------------------------------
  // The engine: Velocity 1.7 with its defaults (#set of a null leaves the target unchanged:
  // directive.set.null.allowed is false), logging off.
  // -------------------------------------------------------------------------------------------

  private static final RuntimeInstance VELOCITY = new RuntimeInstance();

  static {
    VELOCITY.setProperty(RuntimeConstants.RUNTIME_LOG_LOGSYSTEM_CLASS, NullLogChute.class.getName());
    try {
      VELOCITY.init();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A null reference prints as nothing: undocumented (U1). Plain Velocity 1.7 prints the
   * reference's source text ($foo); API Gateway prints nothing, as every recorded response shows.
   * A reference-insertion event handler is Velocity's own hook for this.
   */
  public static final class NullPrintsNothing implements ReferenceInsertionEventHandler {
    @Override
    public Object referenceInsert(String reference, Object value) {
      return value == null ? "" : value;
    }
  }

  private static final NullPrintsNothing NULL_PRINTS_NOTHING = new NullPrintsNothing();

  // -------------------------------------------------------------------------------------------
  // Emulations of API Gateway where it differs from Velocity 1.7 (see vtl-divergences.json)
  // -------------------------------------------------------------------------------------------

  /** "null-equals-empty-string": `null == ""` is true and `null != ""` false on API Gateway. */
  static final String NULL_EQUALS_EMPTY_STRING = "null-equals-empty-string";

  private static boolean nullAndEmpty(Object a, Object b) {
    return (a == null && "".equals(b)) || (b == null && "".equals(a));
  }

  /** == that finds null equal to "" (and otherwise is Velocity 1.7's). */
  public static final class NullIsEmptyEQNode extends ASTEQNode {
    NullIsEmptyEQNode(SimpleNode original) {
      super(original.getType());
      adopt(this, original);
    }

    @Override
    public boolean evaluate(InternalContextAdapter context) {
      if (nullAndEmpty(jjtGetChild(0).value(context), jjtGetChild(1).value(context))) return true;
      return super.evaluate(context);
    }
  }

  /** != that finds null equal to "" (and otherwise is Velocity 1.7's). */
  public static final class NullIsEmptyNENode extends ASTNENode {
    NullIsEmptyNENode(SimpleNode original) {
      super(original.getType());
      adopt(this, original);
    }

    @Override
    public boolean evaluate(InternalContextAdapter context) {
      if (nullAndEmpty(jjtGetChild(0).value(context), jjtGetChild(1).value(context))) return false;
      return super.evaluate(context);
    }
  }

  /** Gives a replacement node the original's children and source position. */
  private static void adopt(SimpleNode replacement, SimpleNode original) {
    replacement.setFirstToken(original.getFirstToken());
    for (int i = 0; i < original.jjtGetNumChildren(); i++) {
      Node child = original.jjtGetChild(i);
      replacement.jjtAddChild(child, i);
      child.jjtSetParent(replacement);
    }
  }

  /** Replaces, in a parsed template, the nodes an emulation changes. */
  private static void emulate(Node node, List<String> emulations) {
    for (int i = 0; i < node.jjtGetNumChildren(); i++) {
      Node child = node.jjtGetChild(i);
      Node replacement = child;
      if (emulations.contains(NULL_EQUALS_EMPTY_STRING)) {
        if (child.getClass() == ASTEQNode.class) replacement = new NullIsEmptyEQNode((SimpleNode) child);
        if (child.getClass() == ASTNENode.class) replacement = new NullIsEmptyNENode((SimpleNode) child);
      }
      if (replacement != child) {
        node.jjtAddChild(replacement, i);
        replacement.jjtSetParent(node);
      }
      emulate(replacement, emulations);
    }
  }

  /**
   * "jdk19-double-tostring": a double read from a payload prints as Double.toString has since JDK 19
   * (JDK-4511638): the shortest decimal that reads back as the double, the nearest one if several,
   * with at least two digits. This JVM (Debian's JDK 17) sometimes writes a longer or another one.
   */
  static final String JDK19_DOUBLE_TOSTRING = "jdk19-double-tostring";

  private static final List<String> KNOWN_EMULATIONS = List.of(NULL_EQUALS_EMPTY_STRING, JDK19_DOUBLE_TOSTRING);

  /** Double.toString as specified since JDK 19. */
  static String jdk19DoubleToString(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
    double magnitude = Math.abs(v);
    BigDecimal exact = new BigDecimal(magnitude);
    for (int length = 1; length <= 17; length++) {
      BigDecimal best = nearest(exact, magnitude, length);
      if (best == null) continue;
      if (length == 1) { // at least two digits: the nearest of one or two digits
        BigDecimal two = nearest(exact, magnitude, 2);
        if (two != null && two.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) best = two;
      }
      return (v < 0 ? "-" : "") + javaStyle(best.stripTrailingZeros());
    }
    return Double.toString(v);
  }

  /** The decimal of this many digits nearest the exact value that reads back as the double (ties: even digit), or null. */
  private static BigDecimal nearest(BigDecimal exact, double magnitude, int length) {
    BigDecimal best = null;
    for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal candidate = exact.round(new MathContext(length, mode));
      if (candidate.doubleValue() != magnitude) continue;
      if (best == null) {
        best = candidate;
      } else {
        int order = candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
        if (order < 0 || (order == 0 && candidate.unscaledValue().testBit(0) == false)) best = candidate;
      }
    }
    return best;
  }

  /** Digits and exponent written as Double.toString does: plain from 10^-3 to 10^7, else d.dddEn. */
  private static String javaStyle(BigDecimal value) {
    String digits = value.unscaledValue().toString();
    int exponent = digits.length() - 1 - value.scale();
    if (exponent < -3 || exponent >= 7) return digits.charAt(0) + "." + (digits.length() > 1 ? digits.substring(1) : "0") + "E" + exponent;
    if (exponent < 0) return "0." + "0".repeat(-exponent - 1) + digits;
    StringBuilder whole = new StringBuilder(digits.substring(0, Math.min(digits.length(), exponent + 1)));
    while (whole.length() < exponent + 1) whole.append('0');
    String fraction = digits.length() > exponent + 1 ? digits.substring(exponent + 1) : "0";
    return whole + "." + fraction;
  }

  /**
   * A Double read from a payload, printed as JDK 19+ prints it (for the emulation). A BigDecimal
   * holding the double's exact value, so that Velocity compares it with other numbers by value
   * (MathUtils would compare two numbers neither of which is a Double as floats); arithmetic on it
   * gives a BigDecimal, which this emulation does not cover.
   */
  public static final class Jdk19Double extends BigDecimal {
    private static final long serialVersionUID = 1L;
    private final double value;

    Jdk19Double(double value) {
      super(value);
      this.value = value;
    }

    @Override public int intValue() { return (int) value; }
    @Override public long longValue() { return (long) value; }
    @Override public float floatValue() { return (float) value; }
    @Override public double doubleValue() { return value; }
    @Override public String toString() { return jdk19DoubleToString(value); }
    @Override public int hashCode() { return Double.hashCode(value); }

    @Override
    public boolean equals(Object other) {
      if (other instanceof Jdk19Double) return Double.valueOf(value).equals(((Jdk19Double) other).value);
      return Double.valueOf(value).equals(other);
    }
  }

  static {
    // json-smart writes it as it writes a Double: its text, or null when not finite (never: only finite ones are wrapped).
    JSONValue.registerWriter(Jdk19Double.class, new JsonWriterI<Jdk19Double>() {
      @Override
      public <E extends Jdk19Double> void writeJSONString(E value, Appendable out, JSONStyle style) throws IOException {
        out.append(value.toString());
      }
    });
  }

  private static Object jdk19(Object value) {
    return value instanceof Double && !((Double) value).isInfinite() && !((Double) value).isNaN() ? new Jdk19Double((Double) value) : value;
  }

  /** json-smart's ordered mapper, with the payload's finite Doubles as Jdk19Double. */
  static final class Jdk19Mapper extends DefaultMapperOrdered {
    Jdk19Mapper() {
      super(JSONValue.defaultReader);
    }

    @Override public JsonReaderI<net.minidev.json.JSONAwareEx> startObject(String key) { return this; }
    @Override public JsonReaderI<net.minidev.json.JSONAwareEx> startArray(String key) { return this; }
    @Override public void setValue(Object current, String key, Object value) { super.setValue(current, key, jdk19(value)); }
    @Override public void addValue(Object current, Object value) { super.addValue(current, jdk19(value)); }
  }

  /** Jayway's json-smart provider with the Jdk19Mapper (permissive mode, as JSON below). */
  static final class Jdk19JsonProvider extends JsonSmartJsonProvider {
    Jdk19JsonProvider() {
      super(JSONParser.MODE_PERMISSIVE, new Jdk19Mapper());
    }

    @Override
    public Object parse(String json) {
      return jdk19(super.parse(json));
    }
  }

  private static final Jdk19JsonProvider JDK19_JSON = new Jdk19JsonProvider();

  // -------------------------------------------------------------------------------------------
  // Templates, parsed once per set of emulations
  // -------------------------------------------------------------------------------------------

  private static final Map<String, String> SOURCES = new HashMap<>();
  private static final Map<String, Template> TEMPLATES = new HashMap<>();

  private static Template template(String id, List<String> emulations) throws Exception {
    String key = id + "\u0000" + String.join(",", emulations);
    Template cached = TEMPLATES.get(key);
    if (cached != null) return cached;
    String source = SOURCES.get(id);
    if (source == null) throw new IllegalArgumentException("no template defined as " + id);
    for (String emulation : emulations) {
      if (!KNOWN_EMULATIONS.contains(emulation)) throw new IllegalArgumentException("unknown emulation " + emulation);
    }
    SimpleNode tree = VELOCITY.parse(new StringReader(source), id);
    emulate(tree, emulations);
    Template template = new Template();
    template.setRuntimeServices(VELOCITY);
    template.setName(id);
    template.setData(tree);
    template.initDocument();
    TEMPLATES.put(key, template);
    return template;
  }

  // -------------------------------------------------------------------------------------------
  // JSON: json-smart's permissive parser behind Jayway JsonPath, as API Gateway reads payloads
  // -------------------------------------------------------------------------------------------

  /** Jayway JsonPath 2.0.0's own json-smart provider: MODE_PERMISSIVE, ordered maps (LinkedHashMap), JSONArray lists. */
  private static final JsonSmartJsonProvider JSON = new JsonSmartJsonProvider();

  private static final Configuration JSON_PATH =
      Configuration.builder().jsonProvider(JSON).mappingProvider(new JsonSmartMappingProvider()).build();

  private static final Map<String, JsonPath> PATHS = new HashMap<>();

  /** What a JSONPath expression selects; MISSING when the path leads nowhere. */
  private static final Object MISSING = new Object();

  private static Object select(Object document, String path) {
    JsonPath compiled = PATHS.computeIfAbsent(path, JsonPath::compile);
    try {
      return compiled.read(document, JSON_PATH);
    } catch (PathNotFoundException e) {
      return MISSING;
    }
  }

  // -------------------------------------------------------------------------------------------
  // $input [VARS, "$input variables"]
  // -------------------------------------------------------------------------------------------

  public static final class Input {
    private final String body;
    private final Map<String, Map<String, Object>> params;
    private final JsonSmartJsonProvider json;
    private Object document;
    private boolean parsed;

    Input(String body, Map<String, Map<String, Object>> params, JsonSmartJsonProvider json) {
      // An empty payload reads as {}: undocumented (U2).
      this.body = body.isEmpty() ? "{}" : body;
      this.params = params;
      this.json = json;
    }

    private Object document() {
      if (!parsed) {
        // The payload as Jayway's json-smart provider parses it (undocumented (U3): which parser
        // and which mode). A payload it cannot parse fails the render.
        document = json.parse(body);
        parsed = true;
      }
      return document;
    }

    /** [VARS] $input.body: "Returns the raw payload as a string." */
    public String getBody() {
      return body;
    }

    /**
     * [VARS] $input.json(x): "This function evaluates a JSONPath expression and returns the
     * results as a JSON string." Written by json-smart's JSONValue.toJSONString, its default
     * style, which writes "/" as "\/" (undocumented (U4)); a path that leads nowhere gives ""
     * quoted, i.e. two double quotes (undocumented (U5)).
     */
    public String json(String path) {
      Object value = select(document(), path);
      return value == MISSING ? "\"\"" : JSONValue.toJSONString(value);
    }

    /**
     * [VARS] $input.path(x): "Takes a JSONPath expression string (x) and returns a JSON object
     * representation of the result. This allows you to access and manipulate elements of the
     * payload natively in Apache Velocity Template Language (VTL)." A path that leads nowhere gives
     * null (LocalStack's AWS-validated snapshot test_input_path_template_formatting, "empty-body").
     */
    public Object path(String path) {
      Object value = select(document(), path);
      return value == MISSING ? null : value;
    }

    /** [VARS] $input.params(): "Returns a map of all the request parameters." (path, querystring, header) */
    public Map<String, Map<String, Object>> params() {
      return params;
    }

    /**
     * [VARS] $input.params(x): "Returns the value of a method request parameter from the path,
     * query string, or header value (searched in that order), given a parameter name string x."
     * An absent parameter gives "" and a header is found whatever the case of its name, exact
     * case first: undocumented (U6).
     */
    public Object params(Object name) {
      if (name == null) return "";
      String key = name.toString();
      for (String kind : new String[] {"path", "querystring"}) {
        if (params.get(kind).containsKey(key)) return params.get(kind).get(key);
      }
      Map<String, Object> headers = params.get("header");
      if (headers.containsKey(key)) return headers.get(key);
      for (Map.Entry<String, Object> header : headers.entrySet()) {
        if (header.getKey().equalsIgnoreCase(key)) return header.getValue();
      }
      return "";
    }
  }

  // -------------------------------------------------------------------------------------------
  // $util [VARS, "$util variables"]. Each takes any object (its toString) and gives null for
  // null: undocumented (U7).
  // -------------------------------------------------------------------------------------------

  public static final class Util {
    private final JsonSmartJsonProvider json;

    Util(JsonSmartJsonProvider json) {
      this.json = json;
    }

    /**
     * [VARS] $util.escapeJavaScript(): "Escapes the characters in a string using JavaScript string
     * rules." and "This function will turn any regular single quotes (') into escaped ones (\')."
     * That it is commons-lang 2's StringEscapeUtils.escapeJavaScript is undocumented (U8).
     */
    public String escapeJavaScript(Object value) {
      return value == null ? null : StringEscapeUtils.escapeJavaScript(value.toString());
    }

    /**
     * [VARS] $util.parseJson(): "Takes "stringified" JSON and returns an object representation of
     * the result." Parsed as a payload is (undocumented (U3)).
     */
    public Object parseJson(Object value) {
      return value == null ? null : json.parse(value.toString());
    }

    /** [VARS] $util.urlEncode(): "Converts a string into "application/x-www-form-urlencoded" format." (java.net.URLEncoder, UTF-8: undocumented (U9)) */
    public String urlEncode(Object value) throws Exception {
      return value == null ? null : URLEncoder.encode(value.toString(), "UTF-8");
    }

    /** [VARS] $util.urlDecode(): "Decodes an "application/x-www-form-urlencoded" string." (java.net.URLDecoder, UTF-8: undocumented (U9)) */
    public String urlDecode(Object value) throws Exception {
      return value == null ? null : URLDecoder.decode(value.toString(), "UTF-8");
    }

    /** [VARS] $util.base64Encode(): "Encodes the data into a base64-encoded string." (of its UTF-8 bytes: undocumented (U9)) */
    public String base64Encode(Object value) {
      return value == null ? null : Base64.getEncoder().encodeToString(value.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** [VARS] $util.base64Decode(): "Decodes the data from a base64-encoded string." (as UTF-8 text: undocumented (U9)) */
    public String base64Decode(Object value) {
      return value == null ? null : new String(Base64.getDecoder().decode(value.toString()), StandardCharsets.UTF_8);
    }
  }

  private static final Util UTIL = new Util(JSON);
  private static final Util JDK19_UTIL = new Util(JDK19_JSON);

  // -------------------------------------------------------------------------------------------
  // One render
  // -------------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapOf(Object value) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (value instanceof Map) map.putAll((Map<String, Object>) value);
    return map;
  }

  /** A deep copy of the protocol's context (LinkedHashMaps), so that no render sees another's #set. */
  @SuppressWarnings("unchecked")
  private static Object copy(Object value) {
    if (value instanceof Map) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, Object> entry : ((Map<String, Object>) value).entrySet()) map.put(entry.getKey(), copy(entry.getValue()));
      return map;
    }
    if (value instanceof List) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<Object>) value) list.add(copy(item));
      return list;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> render(Map<String, Object> request, List<String> emulations) {
    Map<String, Object> result = new LinkedHashMap<>();
    try {
      Template template = template((String) request.get("template"), emulations);
      Map<String, Map<String, Object>> params = new LinkedHashMap<>();
      params.put("path", mapOf(request.get("pathParameters")));
      params.put("querystring", mapOf(request.get("queryString")));
      params.put("header", mapOf(request.get("headers")));
      // $context: the values the test gives, as maps (undocumented (U10): $context's Java types).
      Map<String, Object> context = (Map<String, Object>) copy(mapOf(request.get("context")));
      VelocityContext velocity = new VelocityContext();
      boolean jdk19 = emulations.contains(JDK19_DOUBLE_TOSTRING);
      velocity.put("input", new Input((String) request.get("body"), params, jdk19 ? JDK19_JSON : JSON));
      velocity.put("util", jdk19 ? JDK19_UTIL : UTIL);
      velocity.put("context", context);
      velocity.put("stageVariables", copy(mapOf(request.get("stageVariables"))));
      EventCartridge events = new EventCartridge();
      events.addEventHandler(NULL_PRINTS_NOTHING);
      events.attachToContext(velocity);
      StringWriter output = new StringWriter();
      template.merge(velocity, output);
      result.put("output", output.toString());
      // [OVERRIDE] $context.responseOverride.status and $context.responseOverride.header.<name>,
      // read after the render; how a status that is not an integer is taken is undocumented (U11).
      Object override = context.get("responseOverride");
      Map<String, Object> header = new LinkedHashMap<>();
      if (override instanceof Map) {
        Object status = ((Map<String, Object>) override).get("status");
        if (status != null) {
          try {
            result.put("status", String.valueOf(Integer.parseInt(status.toString().trim())));
          } catch (NumberFormatException e) {
            // not a status
          }
        }
        Object headers = ((Map<String, Object>) override).get("header");
        if (headers instanceof Map) {
          for (Map.Entry<String, Object> entry : ((Map<String, Object>) headers).entrySet()) {
            if (entry.getValue() != null) header.put(entry.getKey(), entry.getValue().toString());
          }
        }
      }
      result.put("header", header);
    } catch (Throwable e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
      result.clear();
      result.put("error", e.getClass().getName() + ": " + e.getMessage() + (cause != e ? " (" + cause + ")" : ""));
    }
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // The protocol
  // -------------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      // A parser per line: Debian's json-smart counts nesting depth (at most 400) across one parser's parses.
      JSONParser protocol = new JSONParser(JSONParser.MODE_RFC4627);
      Map<String, Object> message = (Map<String, Object>) protocol.parse(line, JSONValue.defaultReader.DEFAULT_ORDERED);
      Map<String, Object> answer = new LinkedHashMap<>();
      if (message.containsKey("define")) {
        String id = (String) message.get("define");
        answer.put("define", id);
        SOURCES.put(id, (String) message.get("template"));
        TEMPLATES.keySet().removeIf(key -> key.startsWith(id + "\u0000"));
        try {
          template(id, List.of());
        } catch (Throwable e) {
          answer.put("error", e.getClass().getName() + ": " + e.getMessage());
        }
      } else {
        answer.put("id", message.get("id"));
        List<Object> results = new ArrayList<>();
        for (Object mode : (List<Object>) message.get("modes")) {
          List<String> emulations = new ArrayList<>();
          for (Object emulation : (List<Object>) mode) emulations.add((String) emulation);
          results.add(render(message, emulations));
        }
        answer.put("results", results);
      }
      writeJson(out, answer);
      out.write('\n');
    }
    out.flush();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** JSON in ASCII: every character outside printable ASCII as \\uXXXX (so lone surrogates survive). */
  @SuppressWarnings("unchecked")
  private static void writeJson(Writer out, Object value) throws Exception {
    if (value == null) {
      out.write("null");
    } else if (value instanceof String) {
      String text = (String) value;
      out.write('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') {
          out.write('\\');
          out.write(c);
        } else if (c < 0x20 || c > 0x7e) {
          out.write("\\u");
          for (int shift = 12; shift >= 0; shift -= 4) out.write(HEX[(c >> shift) & 0xf]);
        } else {
          out.write(c);
        }
      }
      out.write('"');
    } else if (value instanceof Map) {
      out.write('{');
      boolean first = true;
      for (Map.Entry<String, Object> entry : ((Map<String, Object>) value).entrySet()) {
        if (!first) out.write(',');
        first = false;
        writeJson(out, entry.getKey());
        out.write(':');
        writeJson(out, entry.getValue());
      }
      out.write('}');
    } else if (value instanceof List) {
      out.write('[');
      boolean first = true;
      for (Object item : (List<Object>) value) {
        if (!first) out.write(',');
        first = false;
        writeJson(out, item);
      }
      out.write(']');
    } else {
      out.write(value.toString()); // numbers and booleans of the protocol (ids)
    }
  }
}
