using SkiaSharp;

namespace PaperGao.Core.Files;

/// <summary>
/// Makes thumbnails of JPEG, PNG, GIF and WebP images with SkiaSharp. The image header is read first and images above
/// <see cref="MaxPixels"/> are refused before anything is decoded (decompression bombs); JPEGs are decoded at a
/// reduced scale when the thumbnail is much smaller. Only the first frame of an animation is used, the EXIF
/// orientation is applied, JPEG stays JPEG and everything else becomes PNG.
/// </summary>
public static class ThumbnailMaker
{
    /// <summary>The most pixels an image may declare to get a thumbnail (about 50 megapixels).</summary>
    public const long MaxPixels = 50_000_000;

    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal) { "image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp" };

    /// <summary>The encoded thumbnail and its content type, or null when the image cannot or may not be decoded.</summary>
    public static (byte[] Data, string ContentType)? Make(Stream source, ThumbSize size)
    {
        using var data = SKData.Create(source);
        if (data is null) return null;
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels) return null;
        var rotated = codec.EncodedOrigin is SKEncodedOrigin.RightTop or SKEncodedOrigin.LeftBottom or SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightBottom;
        var (srcW, srcH) = rotated ? (info.Height, info.Width) : (info.Width, info.Height);
        var (outW, outH, drawW, drawH) = Layout(srcW, srcH, size);

        // Decode at a smaller scale when the codec supports it (JPEG) and the output is much smaller.
        var scale = Math.Min(1f, Math.Max((float)drawW / srcW, (float)drawH / srcH));
        var decodeSize = codec.GetScaledDimensions(scale);
        if (decodeSize.Width <= 0 || decodeSize.Height <= 0) decodeSize = new SKSizeI(info.Width, info.Height);
        using var decoded = new SKBitmap(new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels(), new SKCodecOptions(0));
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return null;
        using var oriented = Orient(decoded, codec.EncodedOrigin);

        using var surface = SKSurface.Create(new SKImageInfo(outW, outH, SKColorType.Rgba8888, SKAlphaType.Premul));
        if (surface is null) return null;
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        var left = (outW - drawW) / 2f;
        var top = size.Mode switch { 't' => 0f, 'b' => outH - drawH, _ => (outH - drawH) / 2f };
        using var image = SKImage.FromBitmap(oriented);
        canvas.DrawImage(image, new SKRect(left, top, left + drawW, top + drawH), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var snapshot = surface.Snapshot();
        var jpeg = codec.EncodedFormat == SKEncodedImageFormat.Jpeg;
        using var encoded = snapshot.Encode(jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, jpeg ? 85 : 100);
        return encoded is null ? null : (encoded.ToArray(), jpeg ? "image/jpeg" : "image/png");
    }

    /// <summary>The output size and the size the whole source is drawn at (larger than the output when cropping).</summary>
    private static (int OutW, int OutH, int DrawW, int DrawH) Layout(int srcW, int srcH, ThumbSize size)
    {
        if (size.Width == 0)
        {
            var w = Math.Max(1, (int)Math.Round((double)srcW * size.Height / srcH));
            return (Math.Min(w, ThumbSize.MaxSide), size.Height, Math.Min(w, ThumbSize.MaxSide), size.Height);
        }
        if (size.Height == 0)
        {
            var h = Math.Max(1, (int)Math.Round((double)srcH * size.Width / srcW));
            return (size.Width, Math.Min(h, ThumbSize.MaxSide), size.Width, Math.Min(h, ThumbSize.MaxSide));
        }
        if (size.Mode == 'f')
        {
            var s = Math.Min((double)size.Width / srcW, (double)size.Height / srcH);
            var w = Math.Max(1, (int)Math.Round(srcW * s));
            var h = Math.Max(1, (int)Math.Round(srcH * s));
            return (w, h, w, h);
        }
        var fill = Math.Max((double)size.Width / srcW, (double)size.Height / srcH);
        return (size.Width, size.Height, Math.Max(1, (int)Math.Round(srcW * fill)), Math.Max(1, (int)Math.Round(srcH * fill)));
    }

    /// <summary>The bitmap turned upright per its EXIF orientation (mirrored variants are treated as their rotation).</summary>
    private static SKBitmap Orient(SKBitmap src, SKEncodedOrigin origin)
    {
        var degrees = origin switch
        {
            SKEncodedOrigin.BottomRight or SKEncodedOrigin.BottomLeft => 180,
            SKEncodedOrigin.RightTop or SKEncodedOrigin.LeftTop => 90,
            SKEncodedOrigin.LeftBottom or SKEncodedOrigin.RightBottom => 270,
            _ => 0,
        };
        if (degrees == 0) return src.Copy();
        var swap = degrees != 180;
        var dst = new SKBitmap(swap ? src.Height : src.Width, swap ? src.Width : src.Height, src.ColorType, src.AlphaType);
        using var canvas = new SKCanvas(dst);
        canvas.Translate(dst.Width / 2f, dst.Height / 2f);
        canvas.RotateDegrees(degrees);
        canvas.Translate(-src.Width / 2f, -src.Height / 2f);
        canvas.DrawBitmap(src, 0, 0);
        return dst;
    }
}
