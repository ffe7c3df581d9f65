using System.Diagnostics;
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
        var dll = await BuildAsync();
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

    /// <summary>Finds the sample built in the test's configuration (the solution build makes it), else builds it.</summary>
    private static async Task<string> BuildAsync()
    {
        var configuration = BuildConfiguration.Name;
        var project = Path.Combine(RepositoryPaths.Root, "samples", "LeakGuard.Samples.WebApi");
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "LeakGuard.Samples.WebApi.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        TestContext.Progress.WriteLine($"Building the web sample ({configuration}) ...");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        Assert.That(build.ExitCode, Is.Zero, "dotnet build of the web sample failed:\n" + output);
        return dll;
    }
}
