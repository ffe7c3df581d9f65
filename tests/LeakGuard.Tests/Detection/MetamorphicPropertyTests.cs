using LeakGuard.DetectionQuality.Generation;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// Transformations that must leave the detector's decision unchanged, over every family of the evaluation's generator
/// (two tuning seeds each): the final verdict and the first Leaking time (within two finest buckets) stay the same.
/// Time shifts, an added constant and resampling are in <see cref="MetamorphicInvarianceTests"/>.
/// </summary>
public sealed class MetamorphicPropertyTests
{
    [Test]
    public void Scaling_values_by_1000_changes_no_decision_when_no_absolute_minimum_applies()
    {
        var options = new DetectionOptions { MinGrowthBytes = 0 };
        var differences = MetamorphicReplay.Differences(p => MetamorphicReplay.BeforeAndAfter(ScenarioGenerator.Render(p), TimeSpan.Zero, v => v * 1000, options));
        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }
}
