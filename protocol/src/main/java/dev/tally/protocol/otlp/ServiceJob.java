package dev.tally.protocol.otlp;

/**
 * The Prometheus {@code job} of an OpenTelemetry resource's service, as Prometheus' OTLP receiver
 * makes it: {@code service.namespace/service.name}, or the name alone without a namespace.
 */
public final class ServiceJob {
  /** The resource attribute of the namespace. */
  public static final String NAMESPACE = "service.namespace";

  private ServiceJob() {}

  /** The job of {@code name} in {@code namespace} (null or empty for none). */
  public static String of(String name, String namespace) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** True if {@code job} is {@link #of}{@code (name, namespace)}, without building it. */
  public static boolean is(String job, String name, String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      return job.equals(name);
    }
    return job.length() == namespace.length() + 1 + name.length()
        && job.startsWith(namespace)
        && job.charAt(namespace.length()) == '/'
        && job.endsWith(name);
  }
}
