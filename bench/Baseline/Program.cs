using PaperGao.Bench.Baseline;

var options = BaselineOptions.Parse(args);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://{options.Http}");
var app = builder.Build();

await using RowSource rows = options.SqliteFile is { } file
    ? new SqliteRowSource(file, options.Table)
    : await PostgresRowSource.CreateAsync(options.PgConnection!, options.PgSchema, options.Table);
if (rows is SqliteRowSource sqlite)
{
    Console.WriteLine($"baseline: sqlite {options.SqliteFile} journal_mode={await sqlite.JournalModeAsync()}");
}

app.MapGet("/health", () => TypedResults.Ok(new HealthBody("ok")));
app.MapGet("/records/{id}", async (string id, HttpContext http) =>
{
    // Buffer the row first so a missing id can still answer 404.
    var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
    if (!await rows.TryWriteAsync(id, buffer, http.RequestAborted))
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return;
    }
    http.Response.ContentType = "application/json";
    http.Response.ContentLength = buffer.WrittenCount;
    await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
});

await app.RunAsync();
