using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LeakGuard.Tests.Readme;

/// <summary>
/// Compiles a documentation snippet as a user's project would: the shared frameworks (.NET and ASP.NET Core) with the
/// SDK's implicit usings, plus the packages this test project restored (LeakGuard's, OpenTelemetry's, NUnit).
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The implicit usings of <c>Microsoft.NET.Sdk</c>.</summary>
    private static readonly string[] SdkUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>The further implicit usings of <c>Microsoft.NET.Sdk.Web</c>.</summary>
    private static readonly string[] WebSdkUsings =
    [
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    private static readonly Lazy<(MetadataReference[] References, HashSet<string> FrameworkFiles)> Environment = new(LoadReferences);

    /// <summary>
    /// Compiles a block: one with a namespace as a library file of a test project (SDK usings), anything else as the
    /// top-level <c>Program.cs</c> of a web project (Web SDK usings). A fragment that uses <c>builder</c> without
    /// declaring it gets <c>var builder = WebApplication.CreateBuilder(args);</c> in front, as its surrounding text says.
    /// </summary>
    /// <param name="block">The block.</param>
    /// <returns>The compilation.</returns>
    public static CSharpCompilation Compile(MarkdownCodeBlock block)
    {
        var isLibrary = block.Code.Contains("namespace ", StringComparison.Ordinal);
        var code = block.Code;
        if (!isLibrary && code.Contains("builder.", StringComparison.Ordinal) && !code.Contains("var builder", StringComparison.Ordinal))
        {
            code = "var builder = WebApplication.CreateBuilder(args);\n" + code;
        }

        var usings = isLibrary ? SdkUsings : [.. SdkUsings, .. WebSdkUsings];
        var globalUsings = string.Join('\n', usings.Select(u => $"global using global::{u};"));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        return CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(globalUsings, parse, "GlobalUsings.g.cs"), CSharpSyntaxTree.ParseText(code, parse, block.ToString())],
            Environment.Value.References,
            new CSharpCompilationOptions(isLibrary ? OutputKind.DynamicallyLinkedLibrary : OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Returns the file names of the assemblies a compilation used that are not part of a shared framework.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <returns>The file names, e.g. <c>OpenTelemetry.Extensions.Hosting.dll</c>.</returns>
    public static IReadOnlyList<string> UsedPackageAssemblies(CSharpCompilation compilation) =>
        [.. compilation.GetUsedAssemblyReferences()
            .OfType<PortableExecutableReference>()
            .Select(r => Path.GetFileName(r.FilePath!))
            .Where(f => !Environment.Value.FrameworkFiles.Contains(f))
            .Order(StringComparer.Ordinal)];

    /// <summary>Returns the assembly files that come with some packages and everything they depend on, from this test's deps.json.</summary>
    /// <param name="packages">Package (or project) names.</param>
    /// <returns>The assembly file names.</returns>
    public static HashSet<string> AssembliesOf(IEnumerable<string> packages)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "LeakGuard.Tests.deps.json")));
        var target = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value;
        var libraries = target.EnumerateObject().ToDictionary(p => p.Name[..p.Name.IndexOf('/', StringComparison.Ordinal)], p => p.Value, StringComparer.OrdinalIgnoreCase);
        var files = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(packages);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name) || !libraries.TryGetValue(name, out var library))
            {
                continue;
            }

            if (library.TryGetProperty("runtime", out var runtime))
            {
                files.UnionWith(runtime.EnumerateObject().Select(f => Path.GetFileName(f.Name)));
            }

            if (library.TryGetProperty("dependencies", out var dependencies))
            {
                foreach (var dependency in dependencies.EnumerateObject())
                {
                    pending.Push(dependency.Name);
                }
            }
        }

        return files;
    }

    private static (MetadataReference[] References, HashSet<string> FrameworkFiles) LoadReferences()
    {
        var frameworkDirectories = new[] { typeof(object).Assembly.Location, typeof(WebApplication).Assembly.Location }
            .Select(l => Path.GetDirectoryName(l)!)
            .Distinct();
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in frameworkDirectories.SelectMany(d => Directory.GetFiles(d, "*.dll")))
        {
            if (IsManaged(file))
            {
                byName.TryAdd(Path.GetFileName(file), file);
            }
        }

        var framework = new HashSet<string>(byName.Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            if (IsManaged(file))
            {
                byName.TryAdd(Path.GetFileName(file), file);
            }
        }

        return ([.. byName.Values.Select(f => MetadataReference.CreateFromFile(f))], framework);
    }

    private static bool IsManaged(string file)
    {
        try
        {
            AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
