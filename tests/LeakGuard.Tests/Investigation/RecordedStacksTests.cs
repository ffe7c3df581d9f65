using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class RecordedStacksTests
{
    [Test]
    public void A_stack_seen_again_gets_its_id_and_a_new_one_past_the_cap_none()
    {
        var stacks = new RecordedStacks(maxStacks: 2);
        var a = stacks.Intern([0x1000, 0x2000, 0x3000]);
        var b = stacks.Intern([0x1000, 0x2000]);
        Assert.Multiple(() =>
        {
            Assert.That(stacks.Intern([0x1000, 0x2000, 0x3000]), Is.EqualTo(a));
            Assert.That(b, Is.Not.EqualTo(a));
            Assert.That(stacks.Intern([0x4000]), Is.EqualTo(AllocationTally.NoStack), "a third distinct stack past a cap of two");
            Assert.That(stacks.Intern([0x1000, 0x2000]), Is.EqualTo(b), "known stacks still count past the cap");
            Assert.That(stacks.Intern([]), Is.EqualTo(AllocationTally.NoStack), "an event without a stack");
            Assert.That(stacks.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void Frames_are_named_by_the_rundown_method_whose_code_holds_them_and_only_those_methods_are_kept()
    {
        var stacks = new RecordedStacks(maxStacks: 10);
        var id = stacks.Intern([0x1010, 0x2050, 0x9999]);
        stacks.AddModule(7, "/app/MyApp.dll");
        stacks.AddModule(8, "/usr/share/dotnet/shared/System.Private.CoreLib.dll");
        stacks.AddMethod(0x1000, 0x20, "MyApp.Orders", "Add", "instance void  (class MyApp.Order)", 7);
        stacks.AddMethod(0x2000, 0x100, "System.Collections.Generic.List`1[System.__Canon]", "Grow", "instance void  (int32)", 8);
        stacks.AddMethod(0x5000, 0x100, "MyApp.Unused", "Never", "void  ()", 7);
        stacks.AddMethod(0x9000, 0x999, "MyApp.Edge", "EndsBefore", "void  ()", 7); // 0x9000 + 0x999 = 0x9999: just outside

        var frames = stacks.Frames(id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(frames[0], Is.EqualTo(("MyApp.Orders.Add(class MyApp.Order)", "MyApp")));
            Assert.That(frames[1], Is.EqualTo(("System.Collections.Generic.List`1[System.__Canon].Grow(int32)", "System.Private.CoreLib")));
            Assert.That(frames[2], Is.EqualTo((string.Empty, string.Empty)), "no method's code holds the address");
            Assert.That(stacks.MethodsKept, Is.EqualTo(2), "methods no kept stack runs through are not kept");
        });
    }

    [Test]
    public void Only_the_innermost_frames_of_a_deep_stack_are_kept()
    {
        var stacks = new RecordedStacks(maxStacks: 10);
        var deep = Enumerable.Range(1, RecordedStacks.MaxFrames + 30).Select(i => (ulong)i * 0x100).ToArray();
        var id = stacks.Intern(deep);
        stacks.AddMethod(0x100, 0x10, "Inner", "M", "void  ()", 0);

        var frames = stacks.Frames(id).ToList();
        Assert.That(frames, Has.Count.EqualTo(RecordedStacks.MaxFrames));
        Assert.That(frames[0].Method, Is.EqualTo("Inner.M()"));
        Assert.That(stacks.Intern(deep[..RecordedStacks.MaxFrames]), Is.EqualTo(id), "a stack differing only past the kept frames is the same stack");
    }
}
