using LeakGuard.Samples.Worker;
using OpenTelemetry.Metrics;

// A queue consumer without a web server, watched by LeakGuard. Run it and watch the log:
// after about a minute LeakGuard reports the growing order history and what holds it.
var builder = Host.CreateApplicationBuilder(args);

// The same one line as in a web application.
builder.Services.AddLeakGuard();

builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
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
