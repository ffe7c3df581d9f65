using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class AllocationStackFolderTests
{
    [Test]
    public void Unnamed_runtime_frames_are_left_out_and_frames_read_module_bang_method()
    {
        var folded = AllocationStackFolder.Fold([("", "?"), ("?", "libcoreclr"), ("MyApp.Store.Add(int32)", "MyApp"), ("MyApp.Program.Main()", "MyApp")], out var ownOnly);

        Assert.That(folded, Is.EqualTo(new[] { "MyApp!MyApp.Store.Add(int32)", "MyApp!MyApp.Program.Main()" }));
        Assert.That(ownOnly, Is.False);
    }

    [Test]
    public void A_run_of_LeakGuard_frames_folds_into_one()
    {
        var folded = AllocationStackFolder.Fold(
            [
                ("MyApp.Work.Run()", "MyApp"),
                ("LeakGuard.Testing.LeakAssert.Run()", "LeakGuard.Testing"),
                ("LeakGuard.LeakMonitor.Tick()", "LeakGuard"),
                ("MyApp.Tests.Test()", "MyApp.Tests"),
            ],
            out _);

        Assert.That(folded, Is.EqualTo(new[] { "MyApp!MyApp.Work.Run()", AllocationStackFolder.OwnFrame, "MyApp.Tests!MyApp.Tests.Test()" }));
    }

    [Test]
    public void A_stack_of_only_LeakGuard_and_its_libraries_is_LeakGuards_own()
    {
        _ = AllocationStackFolder.Fold([("", "?"), ("Parser.Read()", "Microsoft.Diagnostics.Tracing.TraceEvent"), ("LeakGuard.X.Run()", "LeakGuard")], out var ownOnly);

        Assert.That(ownOnly, Is.True);
    }

    [Test]
    public void LeakGuards_thread_allocating_through_the_framework_is_its_own_but_an_application_frame_keeps_a_stack()
    {
        _ = AllocationStackFolder.Fold(
            [("System.Buffers.SharedArrayPool.Rent(int32)", "System.Private.CoreLib"), ("Reader.Run()", "LeakGuard"), ("System.Threading.Thread.StartCallback()", "System.Private.CoreLib")],
            out var reader);
        _ = AllocationStackFolder.Fold(
            [("MyApp.Work.Run()", "MyApp"), ("LeakGuard.Testing.LeakAssert.NoRetainedGrowth()", "LeakGuard.Testing"), ("System.Threading.Thread.StartCallback()", "System.Private.CoreLib")],
            out var assertion);
        _ = AllocationStackFolder.Fold([("System.Text.StringBuilder.ToString()", "System.Private.CoreLib")], out var framework);

        Assert.That(reader, Is.True);
        Assert.That(assertion, Is.False);
        Assert.That(framework, Is.False);
    }

    [Test]
    public void At_most_the_innermost_frames_are_kept()
    {
        var deep = Enumerable.Range(0, 50).Select(i => ($"MyApp.Deep.Level{i}()", "MyApp"));

        var folded = AllocationStackFolder.Fold(deep, out _);

        Assert.That(folded, Has.Length.EqualTo(AllocationStackFolder.MaxFrames));
        Assert.That(folded[0], Is.EqualTo("MyApp!MyApp.Deep.Level0()"));
    }
}
