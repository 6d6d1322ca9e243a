using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;

namespace PaperGao.Core.Files;

/// <summary>The request body limit of a record write: the default, raised to fit every file field at its maxSize × maxSelect.</summary>
public static class UploadLimits
{
    /// <summary>Room for the non-file parts and the multipart framing on top of the files.</summary>
    public const long Overhead = 1L << 20;

    public static long BodyLimit(Collection c, long defaultLimit)
    {
        long files = 0;
        foreach (var f in c.Fields.OfType<FileField>())
            files = SaturatingAdd(files, SaturatingMultiply(f.EffectiveMaxSize, Math.Max(f.MaxSelect, 1)));
        return Math.Max(defaultLimit, SaturatingAdd(files, Overhead));
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private static long SaturatingMultiply(long a, long b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;
}
