using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LeakGuard.AspNetCore.Page;

/// <summary>
/// The dashboard page (embedded <c>dashboard.html</c>: inline CSS, JavaScript and SVG, no external requests, so
/// it works in an air-gapped cluster) and a content security policy that admits exactly its inline script and style.
/// </summary>
internal sealed class DashboardPage
{
    private const string ResourceName = "LeakGuard.AspNetCore.Page.dashboard.html";

    private DashboardPage(ReadOnlyMemory<byte> html, string contentSecurityPolicy)
    {
        Html = html;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    /// <summary>Gets the page's UTF-8 bytes.</summary>
    public ReadOnlyMemory<byte> Html { get; }

    /// <summary>Gets the Content-Security-Policy header value.</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>Loads the page and computes the hashes of its inline script and style.</summary>
    /// <param name="refreshInterval">How often the page refreshes.</param>
    /// <returns>The page.</returns>
    public static DashboardPage Load(TimeSpan refreshInterval)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd().Replace(
            "data-refresh-ms=\"5000\"",
            $"data-refresh-ms=\"{((long)refreshInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}\"",
            StringComparison.Ordinal);

        var csp = "default-src 'none'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
            $"script-src {Hash(InlineBlock(html, "script"))}; style-src {Hash(InlineBlock(html, "style"))}";
        return new DashboardPage(Encoding.UTF8.GetBytes(html), csp);
    }

    /// <summary>Returns the text between the first <c>&lt;tag&gt;</c> and its closing tag.</summary>
    /// <param name="html">The page.</param>
    /// <param name="tag">The tag name.</param>
    /// <returns>The inline block, exactly as the browser hashes it.</returns>
    internal static string InlineBlock(string html, string tag)
    {
        var open = $"<{tag}>";
        var start = html.IndexOf(open, StringComparison.Ordinal);
        var end = html.IndexOf($"</{tag}>", StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"dashboard.html has no <{tag}> block.");
        }

        return html.Substring(start + open.Length, end - start - open.Length);
    }

    private static string Hash(string block) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(block)))}'";
}
