// A document as the pipeline sees it: its text and where it came from (for resume and warnings).
namespace NanoT5.Data.Sources;

/// <summary>A non-empty document: record <paramref name="Record"/> of its shard.</summary>
public readonly record struct SourceDocument(long Record, string Text);
