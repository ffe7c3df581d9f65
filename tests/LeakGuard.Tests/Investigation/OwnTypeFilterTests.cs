using System.Reflection;
using System.Runtime.CompilerServices;
using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class OwnTypeFilterTests
{
    private static IEnumerable<TestCaseData> LeakGuardsAssemblies =>
        new[]
        {
            typeof(LeakGuardOptions).Assembly,
            typeof(LeakGuard.AspNetCore.LeakGuardDashboardOptions).Assembly,
            typeof(LeakGuard.Testing.LeakAssert).Assembly,
            typeof(LeakGuard.Cli.AnalyzeCommand).Assembly,
            typeof(Microsoft.Diagnostics.Tracing.TraceEvent).Assembly,
            typeof(FastSerialization.IFastSerializable).Assembly,
            typeof(Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient).Assembly,
        }.Select(a => new TestCaseData(a).SetArgDisplayNames(a.GetName().Name ?? a.FullName ?? "?"));

    [TestCase("LeakGuard.Investigation.HeapGraph", true)]
    [TestCase("List<LeakGuard.Investigation.TypeStatistics>", true)]
    [TestCase("LeakGuard.LeakVerdict", true)]
    [TestCase("Microsoft.Diagnostics.Tracing.EventPipeEventSource", true)]
    [TestCase("Microsoft.Diagnostics.NETCore.Client.EventPipeSession", true)]
    [TestCase("LeakGuard.Retention.RetentionWatch", true)]
    [TestCase("System.Collections.Generic.GrowableArray`1[System.Int32]", true)]
    [TestCase("PEFile.PEFile", true)]
    [TestCase("NativeDlls", true)]
    [TestCase("MyApp.NativeDlls", false)]
    [TestCase("LeakGuard.Tests.Investigation.Session", false)]
    [TestCase("MyApp.Session", false)]
    [TestCase("Dictionary<Guid, MyApp.Session>", false)]
    [TestCase("NotLeakGuard.Thing", false)]
    public void Own_types_are_recognised(string type, bool own) =>
        Assert.That(OwnTypeFilter.IsOwn(type), Is.EqualTo(own));

    [TestCaseSource(nameof(LeakGuardsAssemblies))]
    public void Every_type_of_LeakGuards_assemblies_and_its_diagnostics_libraries_is_own(Assembly assembly)
    {
        // Static classes have no instances (LeakGuard puts its extension methods in the framework's namespaces);
        // compiler-made types (anonymous types, <PrivateImplementationDetails>) and the attributes the compiler embeds in
        // every assembly carry no namespace of their own: no name tells whose they are.
        var types = assembly.GetTypes()
            .Where(t => t.FullName is { } name && !name.StartsWith('<') && !(t.IsAbstract && t.IsSealed)
                && !t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
                && t.Namespace is not ("Microsoft.CodeAnalysis" or "System.Runtime.CompilerServices" or "System.Diagnostics.CodeAnalysis")
                // A struct of EventSource's own name (System.Private.CoreLib declares it too): a name cannot tell them apart.
                && !name.StartsWith("System.Diagnostics.Tracing.ManifestEnvelope", StringComparison.Ordinal))
            .Select(t => t.FullName!)
            .ToList();

        Assert.That(types, Is.Not.Empty);
        Assert.That(types.Where(t => !OwnTypeFilter.IsOwn(t)), Is.Empty);
    }
}
