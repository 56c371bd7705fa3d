package com.builde2e.sandbox.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What {@code kustomize build} of one folder yields, read into the typed Kubernetes model: its
 * resources (files, and folders read the same way), the Secrets and ConfigMaps its generators make
 * (their keys taken from the files, or from the committed {@code .example} beside a git-ignored
 * one), and its patches applied to their targets as merge patches. Enough of kustomize for
 * manifests that use only these features; anything else in a kustomization.yaml fails the test.
 */
final class Kustomization {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static final List<String> KNOWN_FIELDS =
            List.of(
                    "apiVersion",
                    "kind",
                    "namespace",
                    "resources",
                    "secretGenerator",
                    "configMapGenerator",
                    "patches",
                    "images");

    private Kustomization() {}

    /** Every object the folder's kustomization.yaml builds, in order. */
    static List<HasMetadata> build(Path folder) {
        Map<String, Object> spec = readMap(folder.resolve("kustomization.yaml"));
        for (String field : spec.keySet()) {
            if (!KNOWN_FIELDS.contains(field)) {
                throw new AssertionError(
                        folder + ": kustomization field " + field + " is not checked");
            }
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (String resource : strings(spec.get("resources"))) {
            Path path = folder.resolve(resource).normalize();
            objects.addAll(Files.isDirectory(path) ? build(path) : parse(path));
        }
        for (Map<String, Object> generator : maps(spec.get("secretGenerator"))) {
            Secret secret = new Secret();
            secret.setMetadata(named(generator));
            secret.setStringData(generatedData(folder, generator));
            objects.add(secret);
        }
        for (Map<String, Object> generator : maps(spec.get("configMapGenerator"))) {
            ConfigMap configMap = new ConfigMap();
            configMap.setMetadata(named(generator));
            configMap.setData(generatedData(folder, generator));
            objects.add(configMap);
        }
        for (Map<String, Object> patch : maps(spec.get("patches"))) {
            applyPatch(folder, patch, objects);
        }
        return objects;
    }

    /** Every document of a YAML file, each of a kind the model knows. */
    static List<HasMetadata> parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = SERIALIZATION.unmarshal(in);
            List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
            List<HasMetadata> objects = new ArrayList<>();
            for (Object document : documents) {
                if (!(document instanceof HasMetadata object)
                        || !ModelChecks.isTyped((KubernetesResource) document)) {
                    throw new AssertionError(file + ": a document of no kind the model knows");
                }
                objects.add(object);
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectMeta named(Map<String, Object> generator) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName((String) generator.get("name"));
        return metadata;
    }

    private static Map<String, String> generatedData(Path folder, Map<String, Object> generator) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String envFile : strings(generator.get("envs"))) {
            Properties env = new Properties();
            try (InputStream in = Files.newInputStream(committed(folder.resolve(envFile)))) {
                env.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            env.stringPropertyNames().forEach(name -> data.put(name, env.getProperty(name)));
        }
        for (String file : strings(generator.get("files"))) {
            int eq = file.indexOf('=');
            Path path = folder.resolve(eq < 0 ? file : file.substring(eq + 1));
            committed(path);
            data.put(eq < 0 ? path.getFileName().toString() : file.substring(0, eq), "");
        }
        return data;
    }

    /** The operator's file, or in a checkout without it the committed example of its shape. */
    private static Path committed(Path file) {
        if (Files.exists(file)) {
            return file;
        }
        Path example = file.resolveSibling(file.getFileName() + ".example");
        if (!Files.exists(example)) {
            throw new AssertionError(
                    file + " is generated from, but neither it nor its .example exists");
        }
        return example;
    }

    @SuppressWarnings("unchecked")
    private static void applyPatch(
            Path folder, Map<String, Object> patch, List<HasMetadata> objects) {
        Map<String, Object> target = (Map<String, Object>) patch.get("target");
        Path file = folder.resolve((String) patch.get("path"));
        HasMetadata patchObject = parse(file).get(0);
        HasMetadata targetObject =
                objects.stream()
                        .filter(o -> o.getKind().equals(target.get("kind")))
                        .filter(o -> o.getMetadata().getName().equals(target.get("name")))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                file
                                                        + ": the patch's target "
                                                        + target
                                                        + " does not exist"));
        if (!targetObject.getKind().equals(patchObject.getKind())) {
            throw new AssertionError(
                    file
                            + ": a "
                            + patchObject.getKind()
                            + " patch for a "
                            + targetObject.getKind());
        }
        // the file as written: the typed patch would also carry the model's empty defaults
        Map<String, Object> merged =
                mergePatch(SERIALIZATION.convertValue(targetObject, Map.class), readMap(file));
        HasMetadata patched = SERIALIZATION.convertValue(merged, targetObject.getClass());
        objects.set(objects.indexOf(targetObject), patched);
    }

    /** RFC 7386: objects merge key by key, a null removes, anything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergePatch(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(target);
        patch.forEach(
                (key, value) -> {
                    if (value == null) {
                        result.remove(key);
                    } else if (value instanceof Map<?, ?> nested
                            && result.get(key) instanceof Map<?, ?> existing) {
                        result.put(
                                key,
                                mergePatch(
                                        (Map<String, Object>) existing,
                                        (Map<String, Object>) nested));
                    } else {
                        result.put(key, value);
                    }
                });
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(Path file) {
        try {
            return SERIALIZATION.unmarshal(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return list == null ? List.of() : (List<String>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return list == null ? List.of() : (List<Map<String, Object>>) list;
    }
}
