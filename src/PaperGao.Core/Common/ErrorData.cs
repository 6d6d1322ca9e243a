using System.Text.Json;

namespace PaperGao.Core.Common;

/// <summary>
/// The "data" object of the error envelope: field name to a FieldError or to a nested ErrorData.
/// Insertion ordered; written as a JSON object.
/// </summary>
public sealed class ErrorData
{
    private readonly List<KeyValuePair<string, object>> _items = [];

    public bool IsEmpty => _items.Count == 0;
    public int Count => _items.Count;
    public IEnumerable<KeyValuePair<string, object>> Items => _items;

    public ErrorData Add(string key, FieldError error)
    {
        if (!Contains(key)) _items.Add(new(key, error));
        return this;
    }

    public ErrorData Add(string key, ErrorData nested)
    {
        if (!nested.IsEmpty && !Contains(key)) _items.Add(new(key, nested));
        return this;
    }

    /// <summary>Adds an arbitrary JSON-serializable value (used by batch for the inner response).</summary>
    public ErrorData AddRaw(string key, object value)
    {
        if (!Contains(key)) _items.Add(new(key, value));
        return this;
    }

    public bool Contains(string key) => _items.Exists(i => i.Key == key);

    public object? this[string key] => _items.FirstOrDefault(i => i.Key == key).Value;

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        foreach (var (key, value) in _items)
        {
            w.WritePropertyName(key);
            switch (value)
            {
                case ErrorData nested:
                    nested.WriteTo(w);
                    break;
                case FieldError fe:
                    w.WriteStartObject();
                    w.WriteString("code", fe.Code);
                    w.WriteString("message", fe.Message);
                    if (fe.Params is { Count: > 0 })
                    {
                        w.WritePropertyName("params");
                        JsonSerializer.Serialize(w, fe.Params);
                    }
                    w.WriteEndObject();
                    break;
                default:
                    JsonSerializer.Serialize(w, value, value.GetType());
                    break;
            }
        }
        w.WriteEndObject();
    }
}
