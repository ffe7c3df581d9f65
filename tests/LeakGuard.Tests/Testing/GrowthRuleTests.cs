using LeakGuard.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Testing;

public sealed class GrowthRuleTests
{
    [Test]
    public void Type_gaining_one_instance_per_iteration_is_growing()
    {
        var growth = GrowthRule.Find([new TypeChange("MyApp.Session", 10, 1010, 320, 32_320)], 1000);

        Assert.That(growth, Has.Count.EqualTo(1));
        Assert.That(growth[0].InstancesPerIteration, Is.EqualTo(1.0));
        Assert.That(growth[0].ByBytes, Is.False);
    }

    [Test]
    public void Type_gaining_several_instances_per_iteration_is_growing()
    {
        var growth = GrowthRule.Find([new TypeChange("String", 5000, 8000, 0, 96_000)], 1000);

        Assert.That(growth.Single().InstancesPerIteration, Is.EqualTo(3.0));
    }

    [Test]
    public void One_time_growth_below_nine_tenths_per_iteration_passes()
    {
        // A cache that filled with 899 entries during 1000 runs, or a lazy static built once.
        Assert.That(GrowthRule.Find([new TypeChange("MyApp.Entry", 0, 899, 0, 28_768)], 1000), Is.Empty);
    }

    [Test]
    public void Nine_tenths_per_iteration_is_growing()
    {
        Assert.That(GrowthRule.Find([new TypeChange("MyApp.Entry", 0, 900, 0, 28_800)], 1000), Has.Count.EqualTo(1));
    }

    [Test]
    public void Shrinking_and_unchanged_types_pass()
    {
        TypeChange[] changes = [new("A", 5000, 10, 1000, 100), new("B", 7, 7, 700, 700)];

        Assert.That(GrowthRule.Find(changes, 100), Is.Empty);
    }

    [Test]
    public void One_array_growing_by_64_bytes_per_iteration_is_growing_by_bytes()
    {
        var growth = GrowthRule.Find([new TypeChange("Char[]", 3, 5, 1000, 1000 + (64 * 300))], 300);

        Assert.That(growth.Single().ByBytes, Is.True);
        Assert.That(growth[0].BytesPerIteration, Is.EqualTo(64));
    }

    [Test]
    public void Dictionary_of_references_filling_to_the_iteration_count_passes_the_byte_rule()
    {
        // Entry<Int32, Session>[] for ~300 entries at prime capacity 431: 24 bytes each, far below 64 per iteration.
        Assert.That(GrowthRule.Find([new TypeChange("Entry<Int32, Session>[]", 1, 1, 200, 431 * 24)], 300), Is.Empty);
    }

    [Test]
    public void Instance_growth_is_listed_before_byte_growth_and_larger_growth_first()
    {
        TypeChange[] changes =
        [
            new("Char[]", 1, 1, 0, 100_000),
            new("String", 0, 100, 0, 3200),
            new("MyApp.Session", 0, 300, 0, 9600),
        ];

        var growth = GrowthRule.Find(changes, 100);

        Assert.That(growth.Select(g => g.Change.Type), Is.EqualTo(new[] { "MyApp.Session", "String", "Char[]" }));
    }

    [TestCase("NUnit.Framework.Internal.TestResult")]
    [TestCase("Xunit.Sdk.TestOutputHelper")]
    [TestCase("Microsoft.VisualStudio.TestPlatform.ObjectModel.TestCase")]
    [TestCase("LeakGuard.Hosting.SignalChannel")]
    [TestCase("LeakGuard.Testing.TypeChange")]
    [TestCase("List<NUnit.Framework.Internal.TestResult>")]
    public void Test_framework_and_LeakGuard_types_are_excluded(string type)
    {
        Assert.That(ExcludedTypes.IsExcluded(type, type), Is.True);
    }

    [TestCase("LeakGuard.Tests.Testing.Leaks.CachedSession")]
    [TestCase("MyApp.Session")]
    [TestCase("Dictionary<Int32, MyApp.Session>")]
    public void Application_types_are_not_excluded(string type)
    {
        Assert.That(ExcludedTypes.IsExcluded(type, type), Is.False);
    }

    [Test]
    public void Application_types_are_listed_before_the_framework_types_that_come_along()
    {
        TypeChange[] changes = [new("Byte[]", 0, 605, 0, 40_000), new("MyApp.Session", 0, 600, 0, 19_200), new("EventHandler", 0, 900, 0, 57_600)];

        var growth = GrowthRule.Find(changes, 600);

        Assert.That(growth.Select(g => g.Change.Type), Is.EqualTo(new[] { "MyApp.Session", "EventHandler", "Byte[]" }));
    }

    [TestCase(10, 5)]
    [TestCase(300, 30)]
    [TestCase(1000, 50)]
    public void Warm_up_is_a_tenth_of_the_iterations_within_bounds(int iterations, int warmUp)
    {
        Assert.That(LeakAssert.WarmUpRuns(iterations), Is.EqualTo(warmUp));
    }
}
