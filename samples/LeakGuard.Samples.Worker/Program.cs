using LeakGuard.Samples;
using LeakGuard.Samples.Worker;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

// A queue consumer without a web server, watched by LeakGuard. Run it and watch the log:
// after about a minute LeakGuard reports the growing order history and what holds it.
var builder = Host.CreateApplicationBuilder(args);

// The same one line as in a web application.
builder.Services.AddLeakGuard();

// Which service, which build and which replica (../Shared/ServiceIdentity.cs, docs/prometheus.md).
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddServiceIdentity("leakguard-sample-worker"))
    .WithMetrics(metrics =>
    {
        metrics.AddLeakGuardInstrumentation().AddMeter("System.Runtime");
        if (builder.Configuration.GetValue<bool>("Sample:ConsoleMetrics"))
        {
            metrics.AddConsoleExporter();
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            metrics.AddOtlpExporter();
        }
    });

builder.Services.AddHostedService<OrderConsumer>();
builder.Services.AddHostedService<LeakReporter>();

builder.Build().Run();
