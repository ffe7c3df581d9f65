using System.Security.Cryptography;
using System.Text;

namespace LeakGuard.Investigation;

/// <summary>
/// A stable identifier of a leak: a hash of the growing type, its root and the chain of type names that holds it, so
/// the same leak seen by many instances or across restarts groups under one key (addresses, counts and shares are
/// left out; the chain is the compact one the report shows).
/// </summary>
internal static class LeakSignature
{
    /// <summary>Computes the signature.</summary>
    /// <param name="growingType">The growing type's readable name.</param>
    /// <param name="path">Its most common retention path, or <see langword="null"/> when none was found.</param>
    /// <returns><c>lg1-</c> and 16 upper-case hexadecimal digits.</returns>
    public static string Of(string growingType, RetentionPath? path)
    {
        var text = new StringBuilder(growingType).Append('\n').Append(path?.Root ?? "no path");
        foreach (var step in path?.Path ?? [])
        {
            text.Append('\n').Append(step);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return "lg1-" + Convert.ToHexString(hash.AsSpan(0, 8));
    }
}
