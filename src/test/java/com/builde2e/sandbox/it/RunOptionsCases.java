package com.builde2e.sandbox.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Files in and out, environment variables, arguments and per-run limits, end to end: what reaches
 * the program, what comes back, and every bad value refused with a 400 naming its field, unbilled.
 */
public final class RunOptionsCases {

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    private final Api api;
    private final TestDatabase db;
    private final String key;

    public RunOptionsCases(Api api, TestDatabase db, String key) {
        this.api = api;
        this.db = db;
        this.key = key;
    }

    public Stream<DynamicTest> runs() {
        return Stream.of(
                dynamicTest(
                        "a plain run that writes nothing answers exactly today's fields, in order",
                        this::plainRunFields),
                dynamicTest("pandas reads an input CSV", this::pandasReadsCsv),
                dynamicTest("Pillow writes chart.png and it comes back", this::pillowChart),
                dynamicTest("a JavaScript run writes a JSON file that comes back", this::jsJson),
                dynamicTest(
                        "env and args reach Python",
                        () ->
                                envArgs(
                                        "python",
                                        "import os, sys; print(os.environ['GREETING'],"
                                                + " sys.argv[1:])",
                                        "hello wörld ['a', 'b c', '']\n")),
                dynamicTest(
                        "env and args reach JavaScript",
                        () ->
                                envArgs(
                                        "javascript",
                                        "console.log(process.env.GREETING,"
                                                + " JSON.stringify(process.argv.slice(2)))",
                                        "hello wörld [\"a\",\"b c\",\"\"]\n")),
                dynamicTest("timeoutMs 1500 ends a sleeping run as timed_out", this::ownTimeout),
                dynamicTest(
                        "memoryMb 64 ends a 100 MB allocation as memory_limit", this::ownMemory));
    }

    private JsonObjectBuilder run(String language, String code) {
        return Json.createObjectBuilder().add("code", code).add("language", language);
    }

    private JsonObject ok(JsonObjectBuilder request) {
        Api.Reply reply = api.execute(key, request.build());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static JsonObject file(JsonObject run, String path) {
        return run.getJsonArray("files").stream()
                .map(JsonValue::asJsonObject)
                .filter(f -> f.getString("path").equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no file " + path + " in " + run));
    }

    private static byte[] content(JsonObject file) {
        assertEquals("base64", file.getString("encoding"));
        byte[] bytes = Base64.getDecoder().decode(file.getString("content"));
        assertEquals(bytes.length, file.getJsonNumber("sizeBytes").longValueExact());
        return bytes;
    }

    private void plainRunFields() {
        Api.Reply reply = api.execute(key, "python", "print('plain')");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(ExecuteCases.RUN_FIELDS, List.copyOf(reply.json().keySet()), reply.body());
    }

    private void pandasReadsCsv() {
        JsonObject run =
                ok(
                        run(
                                        "python",
                                        "import pandas as pd\n"
                                                + "df = pd.read_csv('data/in.csv')\n"
                                                + "print(df['b'].sum(), len(df))")
                                .add(
                                        "files",
                                        Json.createArrayBuilder()
                                                .add(
                                                        Json.createObjectBuilder()
                                                                .add("path", "data/in.csv")
                                                                .add("content", "a,b\n1,2\n3,4\n")
                                                                .add("encoding", "utf-8"))));
        assertEquals("6 2\n", run.getString("stdout"), run.toString());
        assertEquals("completed", run.getString("status"));
        assertEquals(
                JsonValue.EMPTY_JSON_ARRAY,
                run.getJsonArray("files"),
                "an input file the run did not change is not returned");
        assertFalse(run.getBoolean("filesTruncated"));
    }

    private void pillowChart() {
        JsonObject run =
                ok(
                        run(
                                "python",
                                "from PIL import Image, ImageDraw\n"
                                        + "img = Image.new('RGB', (64, 32), 'white')\n"
                                        + "ImageDraw.Draw(img).rectangle([4, 4, 20, 28],"
                                        + " fill='blue')\n"
                                        + "img.save('chart.png')\n"
                                        + "print('saved')"));
        assertEquals("saved\n", run.getString("stdout"), run.toString());
        JsonObject chart = file(run, "chart.png");
        assertEquals("image/png", chart.getString("mimeType"));
        byte[] png = content(chart);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
        assertFalse(run.getBoolean("filesTruncated"));
    }

    private void jsJson() {
        JsonObject run =
                ok(
                        run(
                                "javascript",
                                "const fs = require('fs');\n"
                                        + "fs.mkdirSync('out');\n"
                                        + "fs.writeFileSync('out/result.json',"
                                        + " JSON.stringify({sum: [1, 2, 3].reduce((a, b) => a +"
                                        + " b)}));"));
        assertEquals("completed", run.getString("status"), run.toString());
        JsonObject result = file(run, "out/result.json");
        assertEquals("application/json", result.getString("mimeType"));
        assertEquals("{\"sum\":6}", new String(content(result), StandardCharsets.UTF_8));
    }

    private JsonObjectBuilder withEnvAndArgs(JsonObjectBuilder request) {
        return request.add("env", Json.createObjectBuilder().add("GREETING", "hello wörld"))
                .add("args", Json.createArrayBuilder().add("a").add("b c").add(""));
    }

    private void envArgs(String language, String code, String stdout) {
        JsonObject run = ok(withEnvAndArgs(run(language, code)));
        assertEquals(stdout, run.getString("stdout"), run.toString());
    }

    private void ownTimeout() {
        JsonObject run = ok(run("python", "import time; time.sleep(5)").add("timeoutMs", 1500));
        assertEquals("timed_out", run.getString("status"), run.toString());
        assertEquals(124, run.getInt("exitCode"));
        assertTrue(run.getBoolean("timedOut"));
        double ms = run.getJsonNumber("executionTimeMs").doubleValue();
        assertTrue(ms >= 1500 && ms < 2500, "executionTimeMs " + ms);
    }

    private void ownMemory() {
        JsonObject run =
                ok(
                        run("python", "data = b'x' * (100 * 1024 * 1024); print(len(data))")
                                .add("memoryMb", 64));
        assertEquals("memory_limit", run.getString("status"), run.toString());
        assertEquals(137, run.getInt("exitCode"));
    }

    /** Every bad value of a new field: 400 naming the field, nothing billed. */
    public Stream<DynamicTest> badValues() {
        String big = "x".repeat((10 << 20) + 1);
        return Stream.of(
                // files
                refused("files not an array", "files", Json.createValue("a.txt")),
                refused("a file not an object", "files", array(Json.createValue("a.txt"))),
                refused("a file without content", "files", array(pathOnly("a.txt"))),
                refused("an absolute path", "files", files("/etc/passwd")),
                refused("a .. segment", "files", files("../x")),
                refused("a .. segment inside", "files", files("a/../../x")),
                refused("an empty path", "files", files("")),
                refused("a path of only . and /", "files", files("./")),
                refused("a path twice after normalising", "files", files("a.txt", "./a.txt")),
                refused("a path that is another's directory", "files", files("a", "a/b")),
                refused("a NUL in a path", "files", files("a\0b")),
                refused("a 256-byte segment", "files", files("s".repeat(256))),
                refused("a 4097-byte path", "files", files("p/".repeat(2048) + "z")),
                refused("33 files", "files", files(numbered(33))),
                refused("an unknown encoding", "files", array(fileOf("a.txt", "00", "hex"))),
                refused(
                        "content that is not base64",
                        "files",
                        array(fileOf("a.bin", "!!!", "base64"))),
                refused("over 10 MiB in total", "files", array(fileOf("big.txt", big, "utf-8"))),
                // env
                refused("env not an object", "env", Json.createArrayBuilder().add("A=1").build()),
                refused("an env value not a string", "env", env("A", Json.createValue(1))),
                refused("an env name starting with a digit", "env", env("1A", "x")),
                refused("an env name with a dash", "env", env("A-B", "x")),
                refused("an empty env name", "env", env("", "x")),
                refused("PATH", "env", env("PATH", "/tmp")),
                refused("LD_PRELOAD", "env", env("LD_PRELOAD", "/tmp/x.so")),
                refused("PYTHONPATH", "env", env("PYTHONPATH", "/tmp")),
                refused("NODE_OPTIONS", "env", env("NODE_OPTIONS", "--require /tmp/x")),
                refused("GLIBC_TUNABLES", "env", env("GLIBC_TUNABLES", "glibc.malloc.check=3")),
                refused("a NUL in an env value", "env", env("A", "x\0y")),
                refused("65 env entries", "env", manyEnv(65, 1)),
                refused("over 32 KiB of env", "env", manyEnv(2, 17 << 10)),
                // args
                refused("args not an array", "args", Json.createValue("a b")),
                refused("an arg not a string", "args", Json.createArrayBuilder().add(1).build()),
                refused("a NUL in an arg", "args", Json.createArrayBuilder().add("a\0b").build()),
                refused("65 args", "args", args(65, 1)),
                refused("over 32 KiB of args", "args", args(2, 17 << 10)),
                // limits
                refused("timeoutMs 0", "timeoutMs", Json.createValue(0)),
                refused("timeoutMs negative", "timeoutMs", Json.createValue(-5)),
                refused("timeoutMs a fraction", "timeoutMs", Json.createValue(1.5)),
                refused("timeoutMs a string", "timeoutMs", Json.createValue("1000")),
                refused("timeoutMs above the plan's 10000", "timeoutMs", Json.createValue(10_001)),
                refused("timeoutMs far above", "timeoutMs", Json.createValue(1L << 40)),
                refused("memoryMb 15", "memoryMb", Json.createValue(15)),
                refused("memoryMb above the plan's 256", "memoryMb", Json.createValue(257)),
                refused("memoryMb a string", "memoryMb", Json.createValue("64")));
    }

    private DynamicTest refused(String name, String field, JsonValue value) {
        return dynamicTest(
                name + " -> 400 naming " + field,
                () -> {
                    long before = db.usageCount();
                    ExecuteCases.assertError(
                            api.execute(key, run("python", "print(1)").add(field, value).build()),
                            400,
                            field);
                    assertEquals(before, db.usageCount(), "a refused request is not billed");
                });
    }

    private static JsonArray array(JsonValue... values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        Arrays.stream(values).forEach(array::add);
        return array.build();
    }

    private static JsonObject fileOf(String path, String content, String encoding) {
        return Json.createObjectBuilder()
                .add("path", path)
                .add("content", content)
                .add("encoding", encoding)
                .build();
    }

    private static JsonObject pathOnly(String path) {
        return Json.createObjectBuilder().add("path", path).build();
    }

    private static JsonArray files(String... paths) {
        return array(
                Arrays.stream(paths).map(p -> fileOf(p, "x", "utf-8")).toArray(JsonValue[]::new));
    }

    private static String[] numbered(int count) {
        return IntStream.range(0, count).mapToObj(i -> "f" + i + ".txt").toArray(String[]::new);
    }

    private static JsonObject env(String name, String value) {
        return env(name, Json.createValue(value));
    }

    private static JsonObject env(String name, JsonValue value) {
        return Json.createObjectBuilder().add(name, value).build();
    }

    private static JsonObject manyEnv(int count, int valueLength) {
        JsonObjectBuilder env = Json.createObjectBuilder();
        IntStream.range(0, count).forEach(i -> env.add("V" + i, "v".repeat(valueLength)));
        return env.build();
    }

    private static JsonArray args(int count, int length) {
        JsonArrayBuilder args = Json.createArrayBuilder();
        IntStream.range(0, count).forEach(i -> args.add("a".repeat(length)));
        return args.build();
    }
}
