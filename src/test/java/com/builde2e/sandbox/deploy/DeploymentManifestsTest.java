package com.builde2e.sandbox.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.builde2e.sandbox.executions.control.GracefulShutdown;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * deploy/kubernetes/ as the cluster would read it: every kustomization (base, overlays, examples)
 * built into the typed Kubernetes model, every object of a known kind without unknown fields, and
 * the references between them lined up: selectors match pod labels, Service and probe ports exist
 * on the containers, every Secret and ConfigMap (and key) used exists, probes ask the health
 * endpoints the service has, the service's grace period outlasts its drain.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of("deploy/kubernetes");
    private static final String AGENT = "kata-agent";
    private static final String SERVICE = "sandbox-service";

    /** MicroProfile Health's endpoints, each answered only when a check of its kind exists. */
    private static final Map<String, Class<? extends Annotation>> HEALTH_ENDPOINTS =
            Map.of(
                    "/health/ready", Readiness.class,
                    "/health/live", Liveness.class,
                    "/health/started", Startup.class);

    @TestFactory
    Stream<DynamicContainer> everyKustomization() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<Path> folders =
                    files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                            .map(Path::getParent)
                            .sorted()
                            .toList();
            assertTrue(folders.size() >= 3, "base, the kata overlay and the PostgreSQL example");
            return folders.stream()
                    .map(
                            folder ->
                                    DynamicContainer.dynamicContainer(
                                            ROOT.relativize(folder).toString(),
                                            checks(Kustomization.build(folder))));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyYamlFileIsPartOfAKustomization() throws IOException {
        List<Path> used = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path folder :
                    files.filter(p -> p.endsWith("kustomization.yaml"))
                            .map(Path::getParent)
                            .toList()) {
                Map<String, Object> spec =
                        Kustomization.SERIALIZATION.unmarshal(
                                Files.readString(folder.resolve("kustomization.yaml")), Map.class);
                used.add(folder.resolve("kustomization.yaml"));
                for (String key : List.of("resources", "patches")) {
                    for (Object entry : (List<?>) spec.getOrDefault(key, List.of())) {
                        Object path = entry instanceof Map<?, ?> m ? m.get("path") : entry;
                        used.add(folder.resolve((String) path).normalize());
                    }
                }
            }
        }
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(p -> p.toString().endsWith(".yaml"))
                    .map(Path::normalize)
                    .forEach(p -> assertTrue(used.contains(p), p + " is in no kustomization"));
        }
    }

    @Test
    void theKataOverlayRunsTheAgentsInKataVms() {
        List<HasMetadata> kata = Kustomization.build(ROOT.resolve("overlays/kata"));
        assertEquals(
                "kata", pod(find(kata, DaemonSet.class, AGENT)).getSpec().getRuntimeClassName());
        List<HasMetadata> base = Kustomization.build(ROOT.resolve("base"));
        assertEquals(null, pod(find(base, DaemonSet.class, AGENT)).getSpec().getRuntimeClassName());
        // the overlay changes nothing else
        assertEquals(base.size(), kata.size());
    }

    @Test
    void theServiceOutlastsItsDrainAndTheAgentsHaveNoEgress() {
        List<HasMetadata> base = Kustomization.build(ROOT.resolve("base"));
        PodSpec service = pod(find(base, Deployment.class, SERVICE)).getSpec();
        long preStopSeconds = preStopSleepSeconds(service.getContainers().get(0));
        long drainSeconds = GracefulShutdown.DRAIN_TIMEOUT_MS / 1000;
        assertTrue(
                service.getTerminationGracePeriodSeconds() > preStopSeconds + drainSeconds,
                "terminationGracePeriodSeconds must exceed the preStop pause plus the drain ("
                        + (preStopSeconds + drainSeconds)
                        + " s)");

        PodTemplateSpec agent = pod(find(base, DaemonSet.class, AGENT));
        NetworkPolicy policy = find(base, NetworkPolicy.class, AGENT);
        assertTrue(
                matches(policy.getSpec().getPodSelector(), agent), "the policy covers the agents");
        assertTrue(policy.getSpec().getPolicyTypes().contains("Egress"));
        assertTrue(policy.getSpec().getEgress().isEmpty(), "no egress rule at all");
        assertTrue(agent.getSpec().getContainers().get(0).getSecurityContext().getPrivileged());
    }

    @Test
    void theServiceFindsTheAgentsThroughTheirService() {
        List<HasMetadata> base = Kustomization.build(ROOT.resolve("base"));
        String agents =
                find(base, ConfigMap.class, "sandbox-config").getData().get("SANDBOX_AGENTS");
        Service agentService = find(base, Service.class, AGENT);
        for (String endpoint : agents.split(",")) {
            URI uri = URI.create(endpoint.strip());
            assertEquals("tcp", uri.getScheme(), endpoint);
            assertEquals(
                    agentService.getMetadata().getName(), uri.getHost().split("\\.")[0], endpoint);
            assertTrue(
                    agentService.getSpec().getPorts().stream()
                            .anyMatch(p -> p.getPort() == uri.getPort()),
                    endpoint + ": no such port on the agents' Service");
        }
        assertEquals(
                "None", agentService.getSpec().getClusterIP(), "headless: one address per agent");
    }

    @Test
    void everySettingTheServiceIsGivenIsOneTheReadmeDocuments() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<HasMetadata> base = Kustomization.build(ROOT.resolve("base"));
        List<String> names =
                new ArrayList<>(find(base, ConfigMap.class, "sandbox-config").getData().keySet());
        pod(find(base, Deployment.class, SERVICE))
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .stream()
                .map(EnvVar::getName)
                .forEach(names::add);
        for (String name : names) {
            assertTrue(
                    readme.contains("| `" + name + "`"),
                    name + " is not in README.md's configuration table");
        }
    }

    private static Stream<DynamicTest> checks(List<HasMetadata> objects) {
        return Stream.of(
                dynamicTest(
                        "every object is a known kind with only known fields",
                        () -> knownFields(objects)),
                dynamicTest("workloads select their own pods", () -> workloadSelectors(objects)),
                dynamicTest(
                        "Secrets and ConfigMaps used exist, with the keys used",
                        () -> configReferences(objects)),
                dynamicTest(
                        "probes use declared ports and the service's health endpoints",
                        () -> probes(objects)),
                dynamicTest(
                        "Services select pods that expose their target ports",
                        () -> services(objects)),
                dynamicTest(
                        "budgets, autoscalers and policies point at workloads",
                        () -> policies(objects)));
    }

    private static void knownFields(List<HasMetadata> objects) {
        for (HasMetadata object : objects) {
            assertNotNull(object.getMetadata().getName(), object.getKind() + " without a name");
            assertEquals(
                    List.of(),
                    ModelChecks.unknownFields(object),
                    describe(object) + ": unknown fields");
        }
    }

    private static void workloadSelectors(List<HasMetadata> objects) {
        for (HasMetadata workload : workloads(objects)) {
            assertTrue(
                    matches(selector(workload), pod(workload)),
                    describe(workload) + ": selector misses its pods");
        }
    }

    private static void configReferences(List<HasMetadata> objects) {
        for (HasMetadata workload : workloads(objects)) {
            PodSpec spec = pod(workload).getSpec();
            String where = describe(workload);
            List<Container> containers = new ArrayList<>(spec.getInitContainers());
            containers.addAll(spec.getContainers());
            for (Container container : containers) {
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var secretKey = env.getValueFrom().getSecretKeyRef();
                    if (secretKey != null) {
                        assertTrue(
                                secretKeys(objects, secretKey.getName())
                                        .contains(secretKey.getKey()),
                                where
                                        + ": Secret "
                                        + secretKey.getName()
                                        + " has no key "
                                        + secretKey.getKey());
                    }
                    var configKey = env.getValueFrom().getConfigMapKeyRef();
                    if (configKey != null) {
                        assertTrue(
                                find(objects, ConfigMap.class, configKey.getName())
                                        .getData()
                                        .containsKey(configKey.getKey()),
                                where
                                        + ": ConfigMap "
                                        + configKey.getName()
                                        + " has no key "
                                        + configKey.getKey());
                    }
                }
                container
                        .getEnvFrom()
                        .forEach(
                                from -> {
                                    if (from.getSecretRef() != null) {
                                        find(objects, Secret.class, from.getSecretRef().getName());
                                    }
                                    if (from.getConfigMapRef() != null) {
                                        find(
                                                objects,
                                                ConfigMap.class,
                                                from.getConfigMapRef().getName());
                                    }
                                });
                container
                        .getVolumeMounts()
                        .forEach(
                                mount ->
                                        assertTrue(
                                                volumeNames(workload).contains(mount.getName()),
                                                where + ": no volume " + mount.getName()));
            }
            for (Volume volume : spec.getVolumes()) {
                if (volume.getSecret() != null) {
                    find(objects, Secret.class, volume.getSecret().getSecretName());
                }
                if (volume.getConfigMap() != null) {
                    find(objects, ConfigMap.class, volume.getConfigMap().getName());
                }
            }
        }
    }

    private static void probes(List<HasMetadata> objects) {
        for (HasMetadata workload : workloads(objects)) {
            for (Container container : pod(workload).getSpec().getContainers()) {
                String where = describe(workload) + " container " + container.getName();
                for (Probe probe :
                        Stream.of(
                                        container.getStartupProbe(),
                                        container.getLivenessProbe(),
                                        container.getReadinessProbe())
                                .filter(Objects::nonNull)
                                .toList()) {
                    if (probe.getHttpGet() != null) {
                        assertTrue(
                                exposes(container, probe.getHttpGet().getPort()),
                                where + ": probe port");
                        assertTrue(
                                serviceHasHealthEndpoint(probe.getHttpGet().getPath()),
                                where + ": the service answers no " + probe.getHttpGet().getPath());
                    }
                    if (probe.getTcpSocket() != null) {
                        assertTrue(
                                exposes(container, probe.getTcpSocket().getPort()),
                                where + ": probe port");
                    }
                }
            }
        }
    }

    private static void services(List<HasMetadata> objects) {
        for (Service service : ofKind(objects, Service.class)) {
            List<HasMetadata> selected =
                    workloads(objects).stream()
                            .filter(w -> matches(service.getSpec().getSelector(), pod(w)))
                            .toList();
            assertFalse(selected.isEmpty(), describe(service) + " selects no pods");
            for (ServicePort port : service.getSpec().getPorts()) {
                for (HasMetadata workload : selected) {
                    assertTrue(
                            pod(workload).getSpec().getContainers().stream()
                                    .anyMatch(c -> exposes(c, port.getTargetPort())),
                            describe(service)
                                    + ": "
                                    + describe(workload)
                                    + " has no port "
                                    + port.getTargetPort());
                }
            }
        }
    }

    private static void policies(List<HasMetadata> objects) {
        for (PodDisruptionBudget budget : ofKind(objects, PodDisruptionBudget.class)) {
            assertTrue(
                    workloads(objects).stream()
                            .anyMatch(w -> matches(budget.getSpec().getSelector(), pod(w))),
                    describe(budget) + " covers no pods");
        }
        for (HorizontalPodAutoscaler hpa : ofKind(objects, HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            assertTrue(
                    objects.stream()
                            .anyMatch(
                                    o ->
                                            o.getKind().equals(target.getKind())
                                                    && o.getMetadata()
                                                            .getName()
                                                            .equals(target.getName())),
                    describe(hpa) + ": no " + target.getKind() + " " + target.getName());
            assertTrue(hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas());
        }
        for (NetworkPolicy policy : ofKind(objects, NetworkPolicy.class)) {
            List<HasMetadata> covered =
                    workloads(objects).stream()
                            .filter(w -> matches(policy.getSpec().getPodSelector(), pod(w)))
                            .toList();
            assertFalse(covered.isEmpty(), describe(policy) + " covers no pods");
            policy.getSpec()
                    .getIngress()
                    .forEach(
                            rule -> {
                                rule.getFrom()
                                        .forEach(
                                                peer ->
                                                        assertTrue(
                                                                workloads(objects).stream()
                                                                        .anyMatch(
                                                                                w ->
                                                                                        matches(
                                                                                                peer
                                                                                                        .getPodSelector(),
                                                                                                pod(
                                                                                                        w))),
                                                                describe(policy)
                                                                        + ": an ingress peer matches no pods"));
                                for (NetworkPolicyPort port : rule.getPorts()) {
                                    covered.forEach(
                                            w ->
                                                    assertTrue(
                                                            pod(w)
                                                                    .getSpec()
                                                                    .getContainers()
                                                                    .stream()
                                                                    .anyMatch(
                                                                            c ->
                                                                                    exposes(
                                                                                            c,
                                                                                            port
                                                                                                    .getPort())),
                                                            describe(policy)
                                                                    + ": no port "
                                                                    + port.getPort()));
                                }
                            });
        }
    }

    private static boolean serviceHasHealthEndpoint(String path) {
        Class<? extends Annotation> kind = HEALTH_ENDPOINTS.get(path);
        if (kind == null) {
            return false;
        }
        return ServiceClasses.ALL.stream().anyMatch(c -> c.isAnnotatedWith(kind));
    }

    /** The service's own classes, read once. */
    private static final class ServiceClasses {
        static final JavaClasses ALL =
                new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    private static final Pattern SLEEP = Pattern.compile("\\d+");

    private static long preStopSleepSeconds(Container container) {
        if (container.getLifecycle() == null || container.getLifecycle().getPreStop() == null) {
            return 0;
        }
        var preStop = container.getLifecycle().getPreStop();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        List<String> command = preStop.getExec().getCommand();
        assertEquals("sleep", command.get(0), "a preStop hook other than a pause");
        Matcher seconds = SLEEP.matcher(command.get(1));
        assertTrue(seconds.matches(), "sleep in whole seconds");
        return Long.parseLong(command.get(1));
    }

    private static boolean exposes(Container container, IntOrString port) {
        for (ContainerPort declared : container.getPorts()) {
            if (port.getStrVal() != null
                    ? port.getStrVal().equals(declared.getName())
                    : port.getIntVal().equals(declared.getContainerPort())) {
                return true;
            }
        }
        return false;
    }

    /** The pod's volumes and, for a StatefulSet, the claims it makes for each pod. */
    private static List<String> volumeNames(HasMetadata workload) {
        List<String> names = new ArrayList<>();
        pod(workload).getSpec().getVolumes().forEach(v -> names.add(v.getName()));
        if (workload instanceof StatefulSet set) {
            set.getSpec()
                    .getVolumeClaimTemplates()
                    .forEach(c -> names.add(c.getMetadata().getName()));
        }
        return names;
    }

    private static List<String> secretKeys(List<HasMetadata> objects, String name) {
        Secret secret = find(objects, Secret.class, name);
        List<String> keys = new ArrayList<>(secret.getStringData().keySet());
        keys.addAll(secret.getData().keySet());
        return keys;
    }

    private static boolean matches(LabelSelector selector, PodTemplateSpec pod) {
        assertTrue(
                selector.getMatchExpressions().isEmpty(), "only matchLabels selectors are checked");
        return matches(selector.getMatchLabels(), pod);
    }

    private static boolean matches(Map<String, String> labels, PodTemplateSpec pod) {
        return labels != null
                && !labels.isEmpty()
                && pod.getMetadata().getLabels().entrySet().containsAll(labels.entrySet());
    }

    private static List<HasMetadata> workloads(List<HasMetadata> objects) {
        return objects.stream()
                .filter(
                        o ->
                                o instanceof Deployment
                                        || o instanceof DaemonSet
                                        || o instanceof StatefulSet)
                .toList();
    }

    /** A workload's pod selector and pod template, whatever its kind. */
    private record PodsOf(LabelSelector selector, PodTemplateSpec template) {
        static PodsOf workload(HasMetadata workload) {
            if (workload instanceof Deployment d) {
                return new PodsOf(d.getSpec().getSelector(), d.getSpec().getTemplate());
            }
            if (workload instanceof DaemonSet d) {
                return new PodsOf(d.getSpec().getSelector(), d.getSpec().getTemplate());
            }
            StatefulSet set = (StatefulSet) workload;
            return new PodsOf(set.getSpec().getSelector(), set.getSpec().getTemplate());
        }
    }

    private static PodTemplateSpec pod(HasMetadata workload) {
        return PodsOf.workload(workload).template();
    }

    private static LabelSelector selector(HasMetadata workload) {
        return PodsOf.workload(workload).selector();
    }

    private static <T extends HasMetadata> List<T> ofKind(
            List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static <T extends HasMetadata> T find(
            List<HasMetadata> objects, Class<T> kind, String name) {
        Optional<T> found =
                ofKind(objects, kind).stream()
                        .filter(o -> o.getMetadata().getName().equals(name))
                        .findFirst();
        return found.orElseThrow(
                () -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }
}
