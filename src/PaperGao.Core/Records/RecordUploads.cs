using PaperGao.Core.Files;

namespace PaperGao.Core.Records;

/// <summary>
/// The files submitted with a record write, by the body key they came under: "field" (replace, or add to the names
/// sent for the same key), "field+" (append) or "+field" (prepend).
/// </summary>
public sealed class RecordUploads
{
    private readonly Dictionary<string, List<UploadedFile>> _byKey = new(StringComparer.Ordinal);

    public static RecordUploads None { get; } = new();

    public bool IsEmpty => _byKey.Count == 0;

    public IEnumerable<string> Keys => _byKey.Keys;

    public void Add(string key, UploadedFile file)
    {
        if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = [];
        list.Add(file);
    }

    public IReadOnlyList<UploadedFile> For(string key) => _byKey.TryGetValue(key, out var list) ? list : [];
}
