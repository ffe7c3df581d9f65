using LeakGuard.Samples;
using LeakGuard.Samples.WebApi;
using LeakGuard.Samples.WebApi.Leaks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

// A web API that leaks on demand, watched by LeakGuard. Run it, open http://127.0.0.1:5080/leakguard,
// then: curl -X POST http://127.0.0.1:5080/leaks/cache/start
var builder = WebApplication.CreateBuilder(args);

// The one line LeakGuard needs (settings: the "LeakGuard" section of appsettings.json).
builder.Services.AddLeakGuard();
builder.Services.AddHealthChecks().AddLeakGuard();

// Which service, which build and which replica: Prometheus reads them from target_info, and LeakGuard's fleet
// rules compare the versions of a service (../Shared/ServiceIdentity.cs, docs/prometheus.md).
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddServiceIdentity("leakguard-sample-webapi"))
    .WithMetrics(metrics =>
    {
        // LeakGuard's own instruments plus the runtime's (heap sizes, GC counts, working set): LeakGuard does not repeat those.
        metrics.AddLeakGuardInstrumentation().AddMeter("System.Runtime");
        metrics.AddPrometheusExporter();
        if (builder.Configuration.GetValue<bool>("Sample:ConsoleMetrics"))
        {
            metrics.AddConsoleExporter();
        }

        // The standard variable: OTLP export only when a collector is named.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            metrics.AddOtlpExporter();
        }
    });

builder.Services.AddSingleton<LeakLab>();
builder.Services.AddHostedService<LeakGuard.Samples.WebApi.TrafficSimulator>();

var app = builder.Build();

app.MapGet("/", () => Results.Redirect("/leakguard"));
app.MapLeakGuard("/leakguard");
app.MapPrometheusScrapingEndpoint("/metrics");
// JSON instead of a bare "Degraded": which check, its status and its description (the suspected signal and why).
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthJsonWriter.WriteAsync });
app.MapLeakEndpoints();

app.Run();
