using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LeakGuard.Cli;
using LeakGuard.DetectionQuality;
using LeakGuard.DetectionQuality.Generation;
using NUnit.Framework;

namespace LeakGuard.Tests.Cli;

/// <summary>The detection-quality evaluation reaches the same verdicts as <c>leakguard analyze</c> on the same file.</summary>
public sealed class EvaluationMatchesAnalyzeTests
{
    [TestCase("m_10")]
    [TestCase("m_1000")]
    [TestCase("m_1004")]
    public void Alibaba_replay_gives_the_verdicts_of_analyze_with_defaults(string machine)
    {
        var directory = AlibabaReplay.Locate();
        var file = directory is null ? null : Path.Combine(directory, machine + ".csv");
        if (file is null || !File.Exists(file))
        {
            Assert.Ignore("The Alibaba traces are absent (../shared/data/alibaba-mem or LEAKGUARD_ALIBABA_DIR).");
        }

        var evaluation = AlibabaReplay.Replay(file);
        var (final, firstLeaking, firstSuspected, first) = Analyze(file);
        Assert.Multiple(() =>
        {
            Assert.That(evaluation.Final?.ToString(), Is.EqualTo(final));
            Assert.That(evaluation.FirstLeaking, Is.EqualTo(Hours(firstLeaking, first)).Within(1e-9));
            Assert.That(evaluation.FirstSuspected, Is.EqualTo(Hours(firstSuspected, first)).Within(1e-9));
        });
    }

    [TestCase("leak+warm-up", 3)]
    [TestCase("daily-cycle", 1)]
    [TestCase("leak+cache", 4)]
    public void Generated_run_gives_the_verdicts_of_analyze_on_its_csv(string familyName, long seed)
    {
        var run = ScenarioGenerator.Generate(Family.All.Single(f => f.Name == familyName), seed);
        var evaluation = RunReplay.Analyze(run);
        var path = Path.Combine(Path.GetTempPath(), $"leakguard-eval-{Guid.NewGuid():N}.csv");
        try
        {
            using (var writer = new StreamWriter(path))
            {
                RunReplay.WriteCsv(run, writer);
            }

            var (final, firstLeaking, firstSuspected, _) = Analyze(path, run.Limit);
            Assert.Multiple(() =>
            {
                Assert.That(evaluation.Final?.State.ToString(), Is.EqualTo(final));
                Assert.That(evaluation.Timeline.FirstOrDefault(v => v.State == LeakState.Leaking)?.EvaluatedAt, Is.EqualTo(firstLeaking));
                Assert.That(evaluation.Timeline.FirstOrDefault(v => v.State is LeakState.Suspected or LeakState.Leaking)?.EvaluatedAt, Is.EqualTo(firstSuspected));
                Assert.That(evaluation.Timeline, Has.Count.GreaterThan(1), "the run should change state at least once to make the comparison bite");
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double? Hours(DateTimeOffset? at, DateTimeOffset first) => at is { } a ? (a - first).TotalHours : null;

    // Runs the command itself (`leakguard analyze FILE [--limit L] --format json`) and reads its timeline.
    private static (string? Final, DateTimeOffset? FirstLeaking, DateTimeOffset? FirstSuspected, DateTimeOffset First) Analyze(string file, double? limit = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = limit is { } l
            ? ["analyze", file, "--format", "json", "--limit", l.ToString("R", CultureInfo.InvariantCulture)]
            : ["analyze", file, "--format", "json"];
        var exit = LeakGuardCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.That(exit, Is.Not.EqualTo(AnalyzeCommand.BadInput), error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        var timeline = root.GetProperty("timeline").EnumerateArray().Select(v => (State: v.GetProperty("state").GetString(), Time: v.GetProperty("time").GetDateTimeOffset())).ToArray();
        var final = root.GetProperty("final").ValueKind == JsonValueKind.Null ? null : root.GetProperty("final").GetProperty("state").GetString();
        DateTimeOffset? Find(Func<string?, bool> state) => timeline.Where(v => state(v.State)).Select(v => (DateTimeOffset?)v.Time).FirstOrDefault();
        return (final, Find(s => s == "Leaking"), Find(s => s is "Suspected" or "Leaking"), root.GetProperty("first").GetDateTimeOffset());
    }
}
