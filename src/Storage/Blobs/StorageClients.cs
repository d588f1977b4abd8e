using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace DurablePipelines.Storage.Blobs;

/// <summary>Storage clients configured the way every adapter here expects them.</summary>
public static class StorageClients
{
    /// <summary>A blob client for a connection string; no transfer checksums.</summary>
    public static BlobServiceClient CreateBlobServiceClient(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new BlobClientOptions();

        // Azurite refuses CRC64 (structured message) validation unless started with --loose, and the local host
        // must run on a stock Azurite; HTTPS already protects the bytes on Azure. Say "none" explicitly so a new
        // library default cannot switch it on behind our back.
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        options.TransferValidation.Download.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        options.TransferValidation.Download.AutoValidateChecksum = false;
        return new BlobServiceClient(connectionString, options);
    }

    /// <summary>
    /// A queue client for a connection string. Messages are read and written as raw text: the start listener
    /// decodes base64 itself, so it accepts both encodings.
    /// </summary>
    public static QueueServiceClient CreateQueueServiceClient(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        return new QueueServiceClient(connectionString, options);
    }
}
