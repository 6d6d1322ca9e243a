using System.Text;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Deploy;

/// <summary>
/// The functions folder of a project (&lt;dataDir&gt;/projects/&lt;name&gt;/functions): every *.js file under it
/// (entry files are *.pb.js at the top; others are loaded by require). Polled for changes by a cheap fingerprint.
/// </summary>
public static class FunctionFolder
{
    public const int MaxFiles = 200;

    public static string PathFor(string storageDir) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storageDir))!, "functions");

    /// <summary>Names, sizes and write times of the files: changes when any file does.</summary>
    public static string Fingerprint(string dir)
    {
        if (!Directory.Exists(dir)) return "";
        var sb = new StringBuilder();
        foreach (var f in Enumerate(dir))
        {
            var info = new FileInfo(f);
            sb.Append(f).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return sb.ToString();
    }

    public static List<FunctionFile> Read(string dir, int maxFileBytes)
    {
        var list = new List<FunctionFile>();
        if (!Directory.Exists(dir)) return list;
        foreach (var f in Enumerate(dir))
        {
            var info = new FileInfo(f);
            if (info.Length > maxFileBytes) throw new FunctionLoadException(Relative(dir, f), 0, 0, $"the file is larger than {maxFileBytes} bytes");
            list.Add(new FunctionFile(Relative(dir, f), File.ReadAllText(f)));
        }
        return list;
    }

    private static IEnumerable<string> Enumerate(string dir) =>
        Directory.EnumerateFiles(dir, "*.js", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint })
            .Order(StringComparer.Ordinal).Take(MaxFiles);

    private static string Relative(string dir, string file) => Path.GetRelativePath(dir, file).Replace('\\', '/');
}
