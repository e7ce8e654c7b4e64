// JSON-lines files a run writes whole (predictions): one object per line, written atomically, non-ASCII text kept
// readable (UnsafeRelaxedJsonEscaping: the file is data, never embedded in HTML).
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NanoT5.IO;

/// <summary>Writes JSON lines.</summary>
public static class JsonLinesFile
{
    /// <summary>Writes <paramref name="items"/> to <paramref name="path"/> atomically; <paramref name="writeProperties"/> writes each one's properties.</summary>
    public static void Write<T>(string path, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeProperties)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(writeProperties);
        AtomicFile.Write(path, stream =>
        {
            var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            foreach (T item in items)
            {
                using (var json = new Utf8JsonWriter(stream, options))
                {
                    json.WriteStartObject();
                    writeProperties(json, item);
                    json.WriteEndObject();
                }

                stream.WriteByte((byte)'\n');
            }
        });
    }
}
