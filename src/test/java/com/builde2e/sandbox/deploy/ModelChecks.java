package com.builde2e.sandbox.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks of a parsed object against the model itself: the model keeps a field it does not know in
 * the object's {@code additionalProperties} instead of failing, so a misspelt or misplaced field
 * ({@code readinesProbe}, a probe one level too deep) would otherwise pass unnoticed.
 */
final class ModelChecks {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private ModelChecks() {}

    static boolean isTyped(KubernetesResource resource) {
        return !(resource instanceof GenericKubernetesResource);
    }

    /**
     * The paths (e.g. {@code spec.template.spec.containers[0].readinesProbe}) of unknown fields.
     */
    static List<String> unknownFields(Object object) {
        List<String> found = new ArrayList<>();
        walk(object, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found);
            }
            return;
        }
        if (value == null || !value.getClass().getPackageName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (!isGetter(getter)) {
                continue;
            }
            Object child = invoke(getter, value);
            String name = path + (path.isEmpty() ? "" : ".") + fieldName(getter);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra) {
                    extra.keySet()
                            .forEach(key -> found.add(path + (path.isEmpty() ? "" : ".") + key));
                }
            } else {
                walk(child, name, found);
            }
        }
    }

    private static boolean isGetter(Method method) {
        return method.getName().startsWith("get")
                && method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers())
                && method.getDeclaringClass().getPackageName().startsWith(MODEL_PACKAGE);
    }

    private static String fieldName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " failed", e);
        }
    }
}
