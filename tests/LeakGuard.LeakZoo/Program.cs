using System.Globalization;
using LeakGuard.LeakZoo;
using LeakGuard.LeakZoo.Hosting;
using LeakGuard.LeakZoo.Scenarios;
using LeakGuard.LeakZoo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The leak zoo: one named leak (or healthy control) per process, watched by LeakGuard.
//   dotnet LeakGuard.LeakZoo.dll <scenario> [--seconds N] [--rate R] [--sample-every S] [--verdicts-every S] [--no-stdin]
// LeakGuard is configured only through configuration, e.g. LeakGuard__WarmUp=00:00:05.
// Output: machine-readable lines (see ZooOutput) for tests/LeakGuard.IntegrationTests/Zoo.
var settings = ZooSettings.Parse(args);
if (settings.CheckOutOfMemoryEnd)
{
    return OutOfMemoryEnd.SelfCheck();
}

OutOfMemoryEnd.Arm();
var entry = settings.Scenario is null ? null : ScenarioCatalog.Find(settings.Scenario);
if (settings.List || entry is null)
{
    if (!settings.List)
    {
        await Console.Error.WriteLineAsync(settings.Scenario is null ? "No scenario given." : $"Unknown scenario '{settings.Scenario}'.");
    }

    Console.WriteLine("usage: LeakGuard.LeakZoo <scenario> [--seconds N] [--rate R] [--sample-every S] [--no-stdin]");
    foreach (var s in ScenarioCatalog.All)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Name,-20} {(s.IsLeak ? "leak   " : "control")} default rate {s.DefaultRate} {s.RateUnit}"));
    }

    return settings.List ? 0 : 2;
}

using var meters = new LeakGuardMeterRecorder();
var builder = Host.CreateApplicationBuilder(settings.HostArgs.ToArray());
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
LeakGuardWiring.AddTo(builder.Services);
var rate = settings.Rate ?? entry.DefaultRate;
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(_ => entry.Create(rate));
builder.Services.AddHostedService<VerdictPrinter>();
builder.Services.AddHostedService<ReportWatcher>();
builder.Services.AddHostedService<StopTriggers>();
builder.Services.AddHostedService<ScenarioDriver>();
if (settings.VerdictsEverySeconds is { } verdictsEvery)
{
    builder.Services.AddHostedService(services => new VerdictSampler(services, TimeSpan.FromSeconds(verdictsEvery)));
}

ApplicationBaseline.Load();
using var host = builder.Build();
var scenario = host.Services.GetRequiredService<IZooScenario>();
ZooOutput.Write(ZooOutput.Start, new Dictionary<string, object?>
{
    ["scenario"] = entry.Name,
    ["leak"] = entry.IsLeak,
    ["pid"] = Environment.ProcessId,
    ["rate"] = rate,
    ["rateUnit"] = entry.RateUnit,
    ["description"] = scenario.Description,
});

Dictionary<string, object?>? overhead = null;
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
lifetime.ApplicationStopping.Register(() => overhead = OverheadReport.Capture(host.Services, meters));
await host.RunAsync();
OverheadReport.Write(overhead ?? []);
return Environment.ExitCode;
