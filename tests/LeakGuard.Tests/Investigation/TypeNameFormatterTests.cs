using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

public class TypeNameFormatterTests
{
    [TestCase("System.Collections.Generic.Dictionary`2[System.Guid,MyApp.Session]", "Dictionary<Guid, MyApp.Session>")]
    [TestCase("System.Byte[]", "Byte[]")]
    [TestCase("MyApp.Session", "MyApp.Session")]
    [TestCase("MyApp.Session[]", "MyApp.Session[]")]
    [TestCase("System.Int32[,]", "Int32[,]")]
    [TestCase("System.Collections.Generic.List`1[System.Collections.Generic.KeyValuePair`2[System.String,System.Int32]]", "List<KeyValuePair<String, Int32>>")]
    [TestCase("System.Collections.Generic.Dictionary`2+Entry[System.Guid,MyApp.Session][]", "Dictionary.Entry<Guid, MyApp.Session>[]")]
    [TestCase("System.Collections.Generic.List`1[[MyApp.Session, MyApp, Version=1.0.0.0]]", "List<MyApp.Session>")]
    [TestCase("System.Func`1[System.Int32][]", "Func<Int32>[]")]
    [TestCase("MyApp.Outer+Inner", "MyApp.Outer.Inner")]
    public void Formatter_renders_runtime_names_readably(string raw, string expected) =>
        Assert.That(TypeNameFormatter.Format(raw), Is.EqualTo(expected));

    [TestCase("MyApp.Program+<>c__DisplayClass3_0", "closure in MyApp.Program (<>c__DisplayClass3_0)")]
    [TestCase("MyApp.Program+<>c", "lambda cache in MyApp.Program (<>c)")]
    [TestCase("MyApp.Program+<HandleAsync>d__5", "state machine in MyApp.Program.HandleAsync (<HandleAsync>d__5)")]
    [TestCase("<>c__DisplayClass3_0", "closure (<>c__DisplayClass3_0)")]
    public void Formatter_names_compiler_generated_types(string raw, string expected) =>
        Assert.That(TypeNameFormatter.Format(raw), Is.EqualTo(expected));

    [Test]
    public void Closure_names_its_creating_method_when_known() =>
        Assert.That(
            CompilerGeneratedName.Describe("<>c__DisplayClass3_0", "MyApp.Program", "Handle"),
            Is.EqualTo("closure in MyApp.Program.Handle (<>c__DisplayClass3_0)"));

    [Test]
    public void Ordinary_names_are_not_compiler_generated() =>
        Assert.That(CompilerGeneratedName.Describe("Session", "MyApp"), Is.Null);

    [TestCase("System.Collections.Generic.List`1[System.Int32")]
    [TestCase("Broken`x[")]
    public void Malformed_names_are_returned_unchanged(string raw) =>
        Assert.That(TypeNameFormatter.Format(raw), Is.EqualTo(raw));

    [TestCase("<>c__DisplayClass3_0", true)]
    [TestCase("OverrideEventProvider", true)]
    [TestCase("System.String", false)]
    [TestCase("MyApp.Outer+Inner", false)]
    public void Nested_bare_names_are_recognised(string raw, bool expected) =>
        Assert.That(NestedTypeResolver.LooksNested(raw), Is.EqualTo(expected));
}
