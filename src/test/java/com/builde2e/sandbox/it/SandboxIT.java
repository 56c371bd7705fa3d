package com.builde2e.sandbox.it;

import com.builde2e.sandbox.apikeys.ApiKeyCases;
import com.builde2e.sandbox.usage.UsageCases;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one deployment of the real WAR (target/ROOT.war, as built) that every integration case runs
 * against. Each area is a factory method over a plain cases class; add yours here with one method.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SandboxIT {

    @ArquillianResource URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(
                WebArchive.class, new File(System.getProperty("sandbox.war")));
    }

    private URI baseUri() {
        return URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
    }

    private Api api() {
        return new Api(baseUri());
    }

    private static String apiKey() {
        return System.getenv("SANDBOX_TEST_API_KEY");
    }

    @TestFactory
    Stream<DynamicTest> platform() {
        return new ExecuteCases(api(), new TestDatabase(), apiKey()).platform();
    }

    @TestFactory
    Stream<DynamicTest> seedExamples() {
        return new ExecuteCases(api(), new TestDatabase(), apiKey()).seedExamples();
    }

    @TestFactory
    Stream<DynamicTest> badInput() {
        return new ExecuteCases(api(), new TestDatabase(), apiKey()).badInput();
    }

    @TestFactory
    Stream<DynamicTest> billing() {
        return new ExecuteCases(api(), new TestDatabase(), apiKey()).billing();
    }

    @TestFactory
    Stream<DynamicTest> runOptions() {
        return new RunOptionsCases(api(), new TestDatabase(), apiKey()).runs();
    }

    @TestFactory
    Stream<DynamicTest> runOptionsBadValues() {
        return new RunOptionsCases(api(), new TestDatabase(), apiKey()).badValues();
    }

    @TestFactory
    Stream<DynamicTest> streaming() {
        return new StreamingCases(
                        api(), new EventStreamClient(baseUri()), new TestDatabase(), apiKey())
                .tests();
    }

    @TestFactory
    Stream<DynamicTest> apiKeys() {
        return new ApiKeyCases(api()).tests();
    }

    @TestFactory
    Stream<DynamicTest> usage() {
        return new UsageCases(api()).tests();
    }
}
