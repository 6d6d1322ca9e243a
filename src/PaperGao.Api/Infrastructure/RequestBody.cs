using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PaperGao.Core.Common;
using PaperGao.Core.Files;
using PaperGao.Core.Records;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// Reads a request body as PocketBase does (protocol.md §1.2): empty → {}, JSON object, or multipart/urlencoded
/// with "@jsonPayload" parts merged and plain values type-inferred. Keys that smell of prototype pollution or
/// polymorphic deserialization are refused at any depth.
/// </summary>
public static class RequestBody
{
    public const int MaxDepth = 64;
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>The body of an endpoint that takes no files (file parts are refused).</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var (body, files) = await ReadAsync(ctx, DefaultLimit(ctx));
        if (!files.IsEmpty)
        {
            var errors = new ErrorData();
            foreach (var key in files.Keys) errors.Add(key.Trim('+'), new FieldError("validation_invalid_file", "File uploads are not accepted here."));
            throw ApiError.BadRequest("Failed to process the uploaded files.", errors);
        }
        return body;
    }

    /// <summary>
    /// The body and the uploaded files of a record write. Files are spooled to temporary files by the form reader
    /// (never held in memory) and deleted when the request ends; <paramref name="limit"/> bounds the whole body.
    /// </summary>
    public static Task<(JsonObject Body, RecordUploads Files)> ReadWithFilesAsync(HttpContext ctx, long limit) => ReadAsync(ctx, limit);

    /// <summary>The raw form of a request (small endpoints), a malformed or unterminated body answered 400.</summary>
    public static async Task<IFormCollection> ReadRawFormAsync(HttpContext ctx)
    {
        try
        {
            return await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException && !ctx.RequestAborted.IsCancellationRequested))
        {
            throw ApiError.BadRequest("Invalid form body: " + FirstLine(ex.Message));
        }
    }

    public static long DefaultLimit(HttpContext ctx) =>
        ctx.RequestServices.GetService(typeof(PaperGaoOptions)) is PaperGaoOptions o ? o.MaxBodySize : 32L * 1024 * 1024;

    private static async Task<(JsonObject, RecordUploads)> ReadAsync(HttpContext ctx, long max)
    {
        var req = ctx.Request;
        if (req.ContentLength == 0) return ([], RecordUploads.None);
        if (req.ContentLength > max) throw ApiError.TooLarge();
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limitFeature) limitFeature.MaxRequestBodySize = max;
        var type = req.ContentType ?? "";
        if (type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadFormAsync(ctx, max);
        }
        using var ms = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await req.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            // Chunked bodies have no Content-Length: stop as soon as the limit is passed, before buffering more.
            if (ms.Length + read > max) throw ApiError.TooLarge();
            ms.Write(chunk, 0, read);
        }
        if (ms.Length == 0) return ([], RecordUploads.None);
        if (type.Length > 0 && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            throw ApiError.BadRequest("Unsupported Content-Type.");
        return (ParseObject(ms.ToArray()), RecordUploads.None);
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> json)
    {
        JsonNode? node;
        try
        {
            CheckStrings(json);
            node = JsonNode.Parse(json, documentOptions: ParseOptions);
        }
        catch (JsonException ex)
        {
            throw ApiError.BadRequest("Invalid JSON body: " + FirstLine(ex.Message));
        }
        if (node is not JsonObject obj) throw ApiError.BadRequest("Invalid JSON body: expected an object.");
        CheckKeys(obj, "");
        return obj;
    }

    private static async Task<(JsonObject, RecordUploads)> ReadFormAsync(HttpContext ctx, long max)
    {
        IFormCollection form;
        // Parts over 64 KiB are spooled to temporary files; the multipart limit follows the body limit (default 128 MiB).
        ctx.Features.Set<IFormFeature>(new FormFeature(ctx.Request, new FormOptions
        {
            MultipartBodyLengthLimit = max,
            MemoryBufferThreshold = 64 * 1024,
        }));
        try
        {
            form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) && ex.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.TooLarge();
        }
        catch (InvalidDataException ex)
        {
            throw ApiError.BadRequest("Invalid form body: " + FirstLine(ex.Message));
        }
        catch (IOException ex) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            // A multipart body that ends before its closing boundary ("Unexpected end of Stream").
            throw ApiError.BadRequest("Invalid form body: " + FirstLine(ex.Message));
        }
        var result = new JsonObject();
        foreach (var (key, values) in form)
        {
            if (key == "@jsonPayload")
            {
                foreach (var payload in values)
                {
                    var obj = ParseObject(System.Text.Encoding.UTF8.GetBytes(payload ?? ""));
                    foreach (var (k, v) in obj.ToList())
                    {
                        obj.Remove(k);
                        result[k] = v;
                    }
                }
                continue;
            }
            CheckKey(key, "");
            if (values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
                throw ApiError.BadRequest($"Invalid form body: NUL characters are not allowed (in \"{Truncate(key)}\").");
            if (values.Count == 1) result[key] = Infer(values[0] ?? "");
            else result[key] = new JsonArray([.. values.Select(v => Infer(v ?? ""))]);
        }
        var files = new RecordUploads();
        foreach (var f in form.Files)
        {
            if (f.Length == 0 && string.IsNullOrEmpty(f.FileName)) continue; // an empty file input of an HTML form
            CheckKey(f.Name, "");
            files.Add(f.Name, new UploadedFile(f.FileName, f.Length, f.OpenReadStream));
        }
        return (result, files.IsEmpty ? RecordUploads.None : files);
    }

    /// <summary>"" stays a string, true/false become booleans, numbers that round-trip exactly become numbers.</summary>
    public static JsonNode? Infer(string value)
    {
        if (value is "true") return JsonValue.Create(true);
        if (value is "false") return JsonValue.Create(false);
        if (value.Length > 0 && value.Length < 30 && value.All(c => c is '-' or '.' || char.IsAsciiDigit(c))
            && double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            && d.ToString("R", CultureInfo.InvariantCulture) == value)
        {
            return JsonValue.Create(d);
        }
        return JsonValue.Create(value);
    }

    /// <summary>
    /// Every key and string must decode: invalid UTF-8 or an escaped lone surrogate ("\ud800") would otherwise parse
    /// and fail later, wherever the value is first read (a 500). One extra pass of the reader, no allocation per token.
    /// </summary>
    private static void CheckStrings(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        Span<char> scratch = stackalloc char[256];
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
            try
            {
                var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                if (length <= scratch.Length) reader.CopyString(scratch);
                else _ = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                throw ApiError.BadRequest("Invalid JSON body: a string is not valid UTF-8 (or holds a lone surrogate).");
            }
        }
    }

    private static void CheckKeys(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    CheckKey(k, path);
                    CheckKeys(v, path.Length == 0 ? k : path + "." + k);
                }
                break;
            case JsonArray a:
                foreach (var v in a) CheckKeys(v, path);
                break;
            case JsonValue v when v.TryGetValue<string>(out var s) && s.Contains('\0', StringComparison.Ordinal):
                throw ApiError.BadRequest($"Invalid JSON body: NUL characters are not allowed (in \"{Truncate(path)}\").");
        }
    }

    private static void CheckKey(string key, string path)
    {
        if (key is "__proto__" or "constructor" or "prototype" or "_bsontype" || key.StartsWith('$'))
        {
            var where = path.Length == 0 ? key : path + "." + key;
            throw ApiError.BadRequest($"Invalid JSON body: the key \"{Truncate(where)}\" is not allowed.");
        }
    }

    private static string Truncate(string s) => s.Length > 100 ? s[..100] + "..." : s;

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n', StringComparison.Ordinal);
        return (i < 0 ? s : s[..i]).Trim();
    }
}
