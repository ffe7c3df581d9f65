using System.Reflection;
using OpenTelemetry.Resources;

namespace LeakGuard.Samples;

/// <summary>
/// The OpenTelemetry resource that tells a service's replicas and versions apart: <c>service.name</c>,
/// <c>service.version</c> and <c>service.instance.id</c>. The Prometheus exporter publishes them on
/// <c>target_info</c>, which LeakGuard's fleet rules join on (docs/prometheus.md, "Replicas and versions").
/// </summary>
internal static class ServiceIdentity
{
    /// <summary>
    /// Adds the service attributes from the program itself, then lets the standard variables override them:
    /// <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> (e.g. <c>service.version=1.4.2,service.instance.id=shop-7f9c</c>).
    /// </summary>
    /// <param name="resource">The resource being built.</param>
    /// <param name="serviceName">The service name when <c>OTEL_SERVICE_NAME</c> is not set.</param>
    /// <returns>The same builder.</returns>
    public static ResourceBuilder AddServiceIdentity(this ResourceBuilder resource, string serviceName) =>
        resource
            .AddService(serviceName, serviceVersion: AssemblyVersion(), autoGenerateServiceInstanceId: false, serviceInstanceId: InstanceId())
            .AddEnvironmentVariableDetector(); // later attributes win: what the deployment says beats the defaults above

    // The informational version ("1.4.2+3f9c0de…" when the SDK knows the commit) names the build that runs, so two
    // builds of one version number still count as two versions.
    private static string AssemblyVersion() =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? Assembly.GetEntryAssembly()?.GetName().Version?.ToString()
        ?? "unknown";

    // In a container HOSTNAME is the pod name (Kubernetes) or the container id: one process, a stable, readable id.
    // Elsewhere several replicas may share the machine, so the process id tells them apart.
    private static string InstanceId()
    {
        var inContainer = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null
            || string.Equals(Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER"), "true", StringComparison.OrdinalIgnoreCase);
        var hostName = Environment.GetEnvironmentVariable("HOSTNAME");
        return inContainer && !string.IsNullOrWhiteSpace(hostName)
            ? hostName
            : $"{Environment.MachineName}-{Environment.ProcessId}";
    }
}
