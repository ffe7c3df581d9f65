using LeakGuard.Investigation;
using LeakGuard.Tests.Testing.Leaks;
using NUnit.Framework;

namespace LeakGuard.Tests.Testing;

public sealed class StaticFieldResolverTests
{
    [Test]
    public void Static_field_root_is_qualified_with_its_declaring_type()
    {
        var resolver = new StaticFieldResolver();

        var root = resolver.QualifyRoot("static field Sessions", "Dictionary<Int32, LeakGuard.Tests.Testing.Leaks.CachedSession>");

        Assert.That(root, Is.EqualTo("static field LeakGuard.Tests.Testing.Leaks.SessionCache.Sessions"));
    }

    [Test]
    public void Auto_property_backing_field_is_shown_as_the_property()
    {
        var resolver = new StaticFieldResolver();

        var root = resolver.QualifyRoot("static field <Shared>k__BackingField", "LeakGuard.Tests.Testing.Leaks.ConnectionPool");

        Assert.That(root, Is.EqualTo("static field LeakGuard.Tests.Testing.Leaks.ConnectionPool.Shared"));
        GC.KeepAlive(ConnectionPool.Shared);
    }

    [Test]
    public void Other_roots_are_left_alone()
    {
        Assert.That(new StaticFieldResolver().QualifyRoot("thread stack", "Foo"), Is.Null);
    }

    [Test]
    public void Unknown_field_is_left_unqualified()
    {
        Assert.That(new StaticFieldResolver().QualifyRoot("static field NoSuchFieldAnywhere_42", "Foo"), Is.Null);
    }
}
