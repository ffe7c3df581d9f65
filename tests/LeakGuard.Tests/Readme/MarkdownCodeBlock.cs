using System.Text.RegularExpressions;

namespace LeakGuard.Tests.Readme;

/// <summary>A fenced code block of a Markdown file, with the packages a <c>dotnet add package</c> block right before it names.</summary>
/// <param name="File">The Markdown file's name.</param>
/// <param name="Line">The line of the opening fence (1-based).</param>
/// <param name="Language">The fence's language tag.</param>
/// <param name="Code">The block's text.</param>
/// <param name="Packages">The packages named by <c>dotnet add package</c> in the block just before, else empty.</param>
public sealed partial record MarkdownCodeBlock(string File, int Line, string Language, string Code, IReadOnlyList<string> Packages)
{
    /// <summary>Reads every fenced block of a Markdown file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The blocks in file order.</returns>
    public static List<MarkdownCodeBlock> Read(string path)
    {
        var lines = System.IO.File.ReadAllLines(path);
        var blocks = new List<MarkdownCodeBlock>();
        IReadOnlyList<string> previousPackages = [];
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                if (lines[i].Trim().Length > 0)
                {
                    previousPackages = [];
                }

                continue;
            }

            var language = lines[i][3..].Trim();
            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            var code = string.Join('\n', body);
            blocks.Add(new MarkdownCodeBlock(Path.GetFileName(path), start + 1, language, code, previousPackages));
            previousPackages = [.. AddPackage().Matches(code).Select(m => m.Groups[1].Value)];
        }

        return blocks;
    }

    /// <inheritdoc />
    public override string ToString() => $"{File} line {Line}";

    [GeneratedRegex(@"dotnet add package ([A-Za-z0-9_.]+)")]
    private static partial Regex AddPackage();
}
