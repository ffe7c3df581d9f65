using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>The catalogue's rules against retention paths written out, for the shapes the in-process leaks cannot show.</summary>
public sealed class KnownPatternMatchTests
{
    private static KnownPattern? Match(string growing, string root, params string[] path) =>
        KnownPatterns.Match(growing, [new RetentionPath { Root = root, Share = 1, Path = [.. path, growing] }]);

    [Test]
    public void A_client_connection_waiting_for_its_finalizer_is_the_http_client_pattern() =>
        Assert.That(Match("Byte[]", "finalizer queue", "HttpConnection", "HttpConnectionPool")?.Id, Is.EqualTo("http-client-per-request"));

    [Test]
    public void Kestrels_server_side_connection_is_not_an_http_client() =>
        Assert.That(
            Match("MyApp.RequestState", "strong GC handle", "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.HttpConnection", "MyApp.RequestState[]")?.Id,
            Is.Not.EqualTo("http-client-per-request"));
}
