using LeakGuard.IntegrationTests.Dashboard;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>The leaky web sample as a child process on 127.0.0.1 and a free port, built once if needed.</summary>
internal sealed class SampleWebApi : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SampleWebApi(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    public static async Task<SampleWebApi> StartAsync(IDictionary<string, string>? settings = null)
    {
        var dll = await SampleBuild.DllAsync("LeakGuard.Samples.WebApi");
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["Logging__LogLevel__Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        // --urls on the command line outranks every configuration file.
        var process = ChildProcess.Start("sample", "dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], Path.GetDirectoryName(dll)!, environment);
        var sample = new SampleWebApi(process, port);
        await Eventually.ReturnsAsync(
            async () => process.HasExited ? throw new AssertionException("The sample exited:\n" + process.Output)
                : (await sample.Client.GetAsync("/health")).IsSuccessStatusCode ? "up" : null,
            TimeSpan.FromSeconds(60),
            () => "the sample's /health never answered:\n" + process.Output);
        return sample;
    }

    public async Task<int?> StopAsync() => await _process.StopAsync(TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }
}
