using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace PaperGao.Api.Dashboard;

/// <summary>One file of the built dashboard, kept in memory (and gzipped when that is worth it).</summary>
public sealed record DashboardFile(string Path, byte[] Content, byte[]? Gzipped, string ContentType, string ETag, bool Immutable);

/// <summary>
/// The files of dashboard/dist, embedded into this assembly by Dashboard.targets as resources "dashboard/&lt;path&gt;".
/// Loaded once; Vite's hashed assets (assets/name-HASH.ext) are immutable, everything else is revalidated.
/// </summary>
public sealed class DashboardFiles
{
    private readonly Dictionary<string, DashboardFile> _files = new(StringComparer.Ordinal);

    public DashboardFiles() : this(typeof(DashboardFiles).Assembly) { }

    public DashboardFiles(Assembly assembly) : this(assembly, "dashboard/") { }

    /// <summary>The embedded files whose resource names start with <paramref name="prefix"/> (also "graphiql/", the GraphQL explorer).</summary>
    public DashboardFiles(Assembly assembly, string prefix)
    {
        var types = new FileExtensionContentTypeProvider();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var path = name[prefix.Length..].Replace('\\', '/');
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var type = types.TryGetContentType(path, out var t) ? t : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type == "application/javascript") type += "; charset=utf-8";
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..20] + "\"";
            _files[path] = new DashboardFile(path, content, Compress(type, content), type, etag,
                Immutable: path.StartsWith("assets/", StringComparison.Ordinal));
        }
    }

    /// <summary>True when the build embedded a dashboard (index.html exists).</summary>
    public bool Available => _files.ContainsKey("index.html");

    public DashboardFile? Find(string path) => _files.GetValueOrDefault(path);

    private static byte[]? Compress(string type, byte[] content)
    {
        var text = type.StartsWith("text/", StringComparison.Ordinal) || type.StartsWith("application/javascript", StringComparison.Ordinal)
            || type.StartsWith("application/json", StringComparison.Ordinal) || type.StartsWith("image/svg", StringComparison.Ordinal);
        if (!text || content.Length < 1024) return null;
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        return output.Length < content.Length ? output.ToArray() : null;
    }
}
