namespace PaperGao.Client;

/// <summary>
/// A file to upload into a file field (sent as multipart/form-data next to the JSON body). The stream is read once and
/// not disposed by the client. Several uploads with the same field append to a multiple file field.
/// </summary>
public sealed record FileUpload(string Field, Stream Content, string FileName, string? ContentType = null);
