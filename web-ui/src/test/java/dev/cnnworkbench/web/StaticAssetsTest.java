package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages and libraries come from the bundled assets only. The test classpath holds two bait files a
 * broken server would hand out: {@code canary.txt} next to the web root and {@code .hidden.txt} in it.
 */
class StaticAssetsTest {

    @TempDir
    static Path home;
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static int status(String rawResponse) {
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    @Test
    void servesThePagesAndTheirModulesWithSecurityHeaders() throws Exception {
        HttpResponse<String> index = stack.get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<title>Runs");
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
        for (String page : new String[] {"/run.html", "/compare.html", "/sweep.html", "/ensemble.html", "/plugins.html",
            "/js/chart.js", "/js/series.js", "/js/sweep.js", "/js/ensemble.js", "/js/plugins.js", "/js/diagnostics.js",
            "/css/app.css"}) {
            assertThat(stack.get(page).statusCode()).as(page).isEqualTo(200);
        }
        assertThat(stack.get("/js/runs.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    }

    @Test
    void servesUplotFromItsWebJarWithOrWithoutTheVersion() throws Exception {
        HttpResponse<String> js = stack.get("/webjars/uplot/dist/uPlot.esm.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(js.body()).contains("export { uPlot as default }");
        assertThat(stack.get("/webjars/uplot/dist/uPlot.min.css").statusCode()).isEqualTo(200);
        assertThat(stack.get("/webjars/uplot/1.6.30/dist/uPlot.min.css").statusCode()).isEqualTo(200);
    }

    @Test
    void servesEchartsFromItsWebJarAsAnEsModule() throws Exception {
        HttpResponse<String> js = stack.get("/webjars/echarts/echarts.esm.min.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(js.body()).contains("as registerTheme");
    }

    @Test
    void everyPageTakesItsNavigationFromTheOneNavModule() throws Exception {
        for (String page : new String[] {"/", "/run.html", "/compare.html", "/sweep.html", "/ensemble.html", "/plugins.html",
            "/login.html", "/no-such-page"}) {
            String html = stack.get(page).body();
            assertThat(html).as(page).contains("<script type=\"module\" src=\"/js/nav.js\"></script>")
                    .containsPattern("<header class=\"top\" data-page=\"[a-z]+\"></header>")
                    .doesNotContain("href=\"/compare.html\"");
        }
        assertThat(stack.get("/js/nav.js").body()).contains("'/compare.html'", "'/sweep.html'", "'/ensemble.html'",
                "'/plugins.html'");
    }

    @Test
    void refusesWebJarFilesThatAreNotScriptsOrStyles() throws Exception {
        assertThat(stack.get("/webjars/uplot/package.json").statusCode()).isEqualTo(404);
        assertThat(stack.get("/webjars/uplot/README.md").statusCode()).isEqualTo(404);
        assertThat(stack.get("/webjars/nonexistent/x.js").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../canary.txt",
        "/js/../../canary.txt",
        "/%2e%2e/canary.txt",
        "/%2E%2E/canary.txt",
        "/js/%2e%2e/%2e%2e/canary.txt",
        "/%2e%2e%2fcanary.txt",
        "/..%2fcanary.txt",
        "/..%5ccanary.txt",
        "/js/..%5c..%5ccanary.txt",
        "/%5c..%5ccanary.txt",
        "/%252e%252e/canary.txt",
        "/%252e%252e%252fcanary.txt",
        "/..%252fcanary.txt",
        "/%c0%ae%c0%ae/canary.txt",
        "/.%2e/canary.txt",
        "//canary.txt",
        "/webjars/uplot/../../../../dev/cnnworkbench/web/canary.txt",
        "/webjars/uplot/%2e%2e/%2e%2e/%2e%2e/%2e%2e/dev/cnnworkbench/web/canary.txt",
        "/webjars/..%5c..%5c..%5cdev%5ccnnworkbench%5cweb%5ccanary.txt",
        "/webjars/uplot/%252e%252e/%252e%252e/META-INF/MANIFEST.MF",
        "/webjars/uplot/..%2f..%2f..%2fMANIFEST.MF",
    })
    void refusesPathTraversal(String path) throws Exception {
        String response = stack.raw("GET", path);
        assertThat(status(response)).as(path).isIn(400, 404);
        assertThat(response).doesNotContain("CANARY-SECRET", "Manifest-Version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.hidden.txt", "/%2ehidden.txt", "/js/../.hidden.txt", "/webjars/uplot/.hidden.js",
        "/.secret/inside.txt", "/js/.hidden.js", "/js/%2ehidden.js", "/%2esecret/inside.txt", "/%252esecret/inside.txt", "/js/%2e%2e/.secret/inside.txt"})
    void refusesHiddenFiles(String path) throws Exception {
        String response = stack.raw("GET", path);
        assertThat(status(response)).as(path).isIn(400, 404);
        assertThat(response).doesNotContain("HIDDEN-SECRET");
    }

    @Test
    void answersAMissingPageWithAnHtml404AndAMissingEndpointWithJson() throws Exception {
        for (String page : new String[] {"/nothing-here.html", "/runs/nope", "/js/nope.js"}) {
            String response = stack.raw("GET", page);
            assertThat(status(response)).as(page).isEqualTo(404);
            assertThat(response).as(page).containsIgnoringCase("content-type: text/html")
                    .contains("<title>Not found", "href=\"/\"").doesNotContain("\"error\"", "Exception", "\tat ");
        }
        String api = stack.raw("GET", "/api/nothing-here");
        assertThat(status(api)).isEqualTo(404);
        assertThat(api).containsIgnoringCase("content-type: application/json").contains("\"error\"")
                .doesNotContain("<html", "Exception");
    }
}
