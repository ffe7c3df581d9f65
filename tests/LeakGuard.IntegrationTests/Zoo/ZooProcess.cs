using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>
/// One scenario running as a child process (<c>dotnet exec LeakGuard.LeakZoo.dll &lt;scenario&gt;</c>):
/// collects its output lines and waits for conditions with deadlines.
/// </summary>
internal sealed class ZooProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<ZooLine> _lines = [];
    private readonly StringBuilder _log = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stdoutOpen = 1;
    private double _exitedAt = double.NaN;

    private ZooProcess(string scenario, string reportsDirectory, Process process)
    {
        Scenario = scenario;
        ReportsDirectory = reportsDirectory;
        _process = process;
    }

    public string Scenario { get; }

    public string ReportsDirectory { get; }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Gets the Unix time, in seconds, at which this process saw the child exit (NaN while it runs).</summary>
    public double ExitedAt => Volatile.Read(ref _exitedAt);

    public static ZooProcess Start(string scenario, string reportsDirectory, params string[] extraArgs) =>
        Start(scenario, reportsDirectory, new Dictionary<string, string>(), extraArgs);

    /// <summary>Starts a scenario with environment variables on top of <see cref="ZooEnvironment"/>'s.</summary>
    public static ZooProcess Start(string scenario, string reportsDirectory, IReadOnlyDictionary<string, string> environment, params string[] extraArgs) =>
        Launch(scenario, reportsDirectory, ZooEnvironment.For(reportsDirectory).Concat(environment), cgroupProcs: null, extraArgs);

    /// <summary>
    /// Starts a scenario inside a cgroup (its <c>cgroup.procs</c> file) with exactly the given environment: a shell joins
    /// the cgroup and then becomes the runtime, so the GC reads the cgroup's limit at start as in a container.
    /// </summary>
    public static ZooProcess StartInCgroup(string cgroupProcs, string scenario, string reportsDirectory, IReadOnlyDictionary<string, string> environment, params string[] extraArgs) =>
        Launch(scenario, reportsDirectory, environment, cgroupProcs, extraArgs);

    private static ZooProcess Launch(string scenario, string reportsDirectory, IEnumerable<KeyValuePair<string, string>> environment, string? cgroupProcs, string[] extraArgs)
    {
        var zooDll = ZooPaths.ZooDll;
        if (!File.Exists(zooDll))
        {
            throw new FileNotFoundException($"The leak zoo is not built: {zooDll}. Build the solution (dotnet test LeakGuard.sln -c {ZooPaths.Configuration}) first.", zooDll);
        }

        var info = new ProcessStartInfo(cgroupProcs is null ? ZooPaths.DotnetHost : "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = reportsDirectory,
        };
        if (cgroupProcs is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("echo $$ > \"$0\" && exec \"$@\"");
            info.ArgumentList.Add(cgroupProcs);
            info.ArgumentList.Add(ZooPaths.DotnetHost);
        }

        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(zooDll);
        info.ArgumentList.Add(scenario);
        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var zoo = new ZooProcess(scenario, reportsDirectory, process);
        process.OutputDataReceived += (_, e) => zoo.OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => zoo.OnOutput(e.Data, isError: true);
        process.Exited += (_, _) => zoo.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return zoo;
    }

    /// <summary>Gets a copy of the parsed lines so far.</summary>
    public IReadOnlyList<ZooLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Gets everything the child wrote (stdout and stderr), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Waits until a line matches, the child's output ends, or the deadline passes (measured on the test's clock).
    /// Returns the first matching line (earlier lines count), or <see langword="null"/>.
    /// </summary>
    public async Task<ZooLine?> WaitForLineAsync(Func<ZooLine, bool> match, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var seen = 0;
        while (true)
        {
            // Read the state before the lines: output that ended before we looked is fully in _lines.
            var outputEnded = Volatile.Read(ref _stdoutOpen) == 0;
            var lines = Lines;
            for (; seen < lines.Count; seen++)
            {
                if (match(lines[seen]))
                {
                    return lines[seen];
                }
            }

            var left = deadline - clock.Elapsed;
            if (outputEnded || left <= TimeSpan.Zero)
            {
                return null;
            }

            await _changed.WaitAsync(left);
        }
    }

    /// <summary>Waits for the child to exit on its own and its output to end.</summary>
    /// <returns>Whether it exited within the deadline.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan deadline)
    {
        try
        {
            await _exited.Task.WaitAsync(deadline);
            await WaitForLineAsync(_ => false, deadline);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Asks the child to stop — as a container runtime would (SIGTERM), or as a parent that goes away (stdin closed) — and waits for it to exit.</summary>
    /// <param name="deadline">How long the child may take.</param>
    /// <param name="how">How to ask.</param>
    /// <returns>Whether it exited within the deadline.</returns>
    public async Task<bool> StopAsync(TimeSpan deadline, ZooStop how = ZooStop.SigTerm)
    {
        if (!_process.HasExited)
        {
            if (how == ZooStop.CloseStdin || OperatingSystem.IsWindows())
            {
                _process.StandardInput.Close();
            }
            else
            {
                _ = Kill(_process.Id, SigTerm);
            }
        }

        try
        {
            await _exited.Task.WaitAsync(deadline);
            // Exited fires before the redirected streams are drained; wait for their end too.
            await WaitForLineAsync(_ => false, deadline);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _changed.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void OnOutput(string? text, bool isError)
    {
        lock (_gate)
        {
            if (text is null)
            {
                if (!isError)
                {
                    Volatile.Write(ref _stdoutOpen, 0);
                }
            }
            else
            {
                _log.Append(isError ? "[stderr] " : string.Empty).AppendLine(text);
                if (!isError && ZooLine.TryParse(text) is { } line)
                {
                    _lines.Add(line);
                }
            }
        }

        try
        {
            _changed.Release();
        }
        catch (ObjectDisposedException)
        {
            // Output that arrives after the test gave up on the child.
        }
    }

    private void OnExited()
    {
        // Exited is raised once; the first moment it was seen is the one kept.
        if (double.IsNaN(Volatile.Read(ref _exitedAt)))
        {
            Volatile.Write(ref _exitedAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        }

        _exited.TrySetResult();
    }
}
