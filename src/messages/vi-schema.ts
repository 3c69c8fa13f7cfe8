// The config schema's descriptions (src/config/schema.ts) in Vietnamese, keyed by their English text: a problem
// whose hint is a key's description shows it in the reader's language. A test walks the schema for missing ones.

export const viSchemaDescriptions: Record<string, string> = {
  'An identifier: letters, digits, ".", "_", "-".': 'Mã định danh: chữ cái, chữ số, ".", "_", "-".',
  'The directory of the checksum cache and read-probe results (default /var/lib/backup321).':
    'Thư mục chứa bộ đệm mã băm và kết quả đo tốc độ đọc (mặc định /var/lib/backup321).',
  'Default: the number of cores.': 'Mặc định: bằng số lõi CPU.',
  'Usable copies required, on distinct devices.': 'Số bản sao dùng được yêu cầu, trên các thiết bị khác nhau.',
  'Distinct medium classes required.': 'Số loại phương tiện lưu trữ khác nhau yêu cầu.',
  'Usable offline copies required.': 'Số bản sao ngoại tuyến dùng được yêu cầu.',
  'Recovery point objective: the newest copy must be at most this old.':
    'Mục tiêu điểm khôi phục (RPO): bản sao mới nhất không được cũ hơn khoảng thời gian này.',
  'Recovery time objective: restore must be possible within this time.':
    'Mục tiêu thời gian khôi phục (RTO): phải khôi phục được trong khoảng thời gian này.',
  'An offline copy older than this does not count.': 'Bản sao ngoại tuyến cũ hơn khoảng thời gian này không được tính.',
  'A successful restore drill must be at most this old.':
    'Lần diễn tập khôi phục thành công gần nhất không được cũ hơn khoảng thời gian này.',
  'A copy the agent can read must have been read (hashed) within this time for integrity to pass (default 35d).':
    'Bản sao mà tác nhân tự đọc được phải được đọc lại (tính mã băm) trong khoảng thời gian này thì kiểm tra toàn vẹn mới đạt (mặc định 35d).',
  'Media an operator verifies by hand (offline-log) must have been verified within this time (default 180d).':
    'Phương tiện do người vận hành kiểm tra thủ công (offline-log) phải được kiểm tra lại trong khoảng thời gian này (mặc định 180d).',
  'Count the production data itself as one of the copies.': 'Tính chính dữ liệu đang vận hành là một bản sao.',
  'Count an object-storage copy under COMPLIANCE-mode Object Lock as an offline copy.':
    'Tính bản sao trên lưu trữ đối tượng có Object Lock chế độ COMPLIANCE là bản sao ngoại tuyến.',
  'Fixed time added to every restore estimate (reinstall, replay).':
    'Thời gian cố định cộng thêm vào mọi ước tính khôi phục (cài đặt lại, chạy lại nhật ký).',
  'An Object Lock counts only while retain-until is at least this far in the future.':
    'Object Lock chỉ được tính khi thời hạn lưu giữ (retain-until) còn ít nhất khoảng thời gian này.',
  "How far ahead of this machine's clock a copy, media event or drill may be dated before it counts as future-dated (default 5m).":
    'Thời điểm của bản sao, sự kiện phương tiện hay lần diễn tập được phép muộn hơn đồng hồ của máy này bao nhiêu trước khi bị coi là ở tương lai (mặc định 5m).',
  'Where copies are: at least one disk, s3 or offline-log location.':
    'Nơi chứa các bản sao: ít nhất một vị trí loại disk, s3 hoặc offline-log.',
  'Absolute path of the directory that holds the copies.': 'Đường dẫn tuyệt đối của thư mục chứa các bản sao.',
  'Override the medium class resolved from the machine.': 'Ghi đè loại phương tiện lưu trữ xác định được từ máy.',
  'Override the failure-domain id resolved from the machine.':
    'Ghi đè mã miền sự cố (failure domain) xác định được từ máy.',
  'Read rate for restore estimates (else measured by a read probe).':
    'Tốc độ đọc dùng để ước tính thời gian khôi phục (nếu không có thì đo bằng phép đọc thử).',
  'Time before a restore can start reading (e.g. mounting a share).':
    'Thời gian chờ trước khi việc khôi phục bắt đầu đọc được (ví dụ gắn thư mục mạng dùng chung).',
  'Which symbolic links to follow while walking: "inside" (default) only those that lead to a path inside the location, true any, false none.':
    'Những liên kết tượng trưng (symlink) được đi theo khi duyệt: "inside" (mặc định) chỉ những liên kết dẫn tới một đường dẫn bên trong vị trí, true mọi liên kết, false không liên kết nào.',
  'How long one read (a listing, a stat, a block of a file) may take before the location counts as not answering (default "5m").':
    'Thời gian tối đa cho một lần đọc (liệt kê thư mục, stat, một khối của tệp) trước khi vị trí bị coi là không trả lời (mặc định "5m").',
  'The bucket name (3 to 63 characters).': 'Tên bucket (3 đến 63 ký tự).',
  'Key prefix under which dataset patterns are resolved, e.g. "erp/".':
    'Tiền tố khóa mà các mẫu của tập dữ liệu nằm bên dưới, ví dụ "erp/".',
  'S3-compatible endpoint URL.': 'URL điểm truy cập tương thích S3.',
  'AWS shared-config profile name.': 'Tên profile trong tệp cấu hình dùng chung của AWS.',
  'A shared-credentials style file with aws_access_key_id / aws_secret_access_key.':
    'Tệp thông tin xác thực theo kiểu shared-credentials, có aws_access_key_id / aws_secret_access_key.',
  'The failure domain these copies share (default: the endpoint, or the region on AWS). Give buckets on one endpoint different values only when they fail apart: another account, another site.':
    'Miền sự cố chung của các bản sao này (mặc định: điểm truy cập, hoặc vùng trên AWS). Chỉ đặt giá trị khác nhau cho các bucket trên cùng một điểm truy cập khi chúng hỏng độc lập với nhau: tài khoản khác, địa điểm khác.',
  'Old name of failureDomain (both set: they must agree).':
    'Tên cũ của failureDomain (nếu đặt cả hai thì phải giống nhau).',
  'The restore tier the site uses for GLACIER / DEEP_ARCHIVE objects (default standard).':
    'Mức khôi phục mà đơn vị dùng cho đối tượng GLACIER / DEEP_ARCHIVE (mặc định standard).',
  'A read rate: size per time, e.g. "300MB/s", "1.5GB/s", "80MiB/s".':
    'Tốc độ đọc: dung lượng trên đơn vị thời gian, ví dụ "300MB/s", "1.5GB/s", "80MiB/s".',
  'A duration: a number and a unit (ms, s, m, h, d, w), e.g. "24h", "7d", "90m"; a bare number is seconds.':
    'Khoảng thời gian: một số và đơn vị (ms, s, m, h, d, w), ví dụ "24h", "7d", "90m"; số không có đơn vị được hiểu là giây.',
  "Compare a single-part object's ETag (its MD5) with a local copy's MD5.":
    'So sánh ETag (MD5) của đối tượng tải lên một phần với MD5 của bản sao cục bộ.',
  'With --deep, download and hash objects up to this size.':
    'Với --deep, tải về và tính mã băm các đối tượng có dung lượng đến mức này.',
  'The offline-media log (JSON Lines or CSV).': 'Nhật ký phương tiện ngoại tuyến (JSON Lines hoặc CSV).',
  'Default: from the file extension.': 'Mặc định: theo phần mở rộng của tệp.',
  'Time to bring the media back (vault transport, loading).':
    'Thời gian đưa phương tiện trở lại (vận chuyển từ kho lưu giữ, nạp phương tiện).',
  'What is protected: at least one dataset, with where its copies are.':
    'Dữ liệu được bảo vệ: ít nhất một tập dữ liệu, kèm nơi chứa các bản sao của nó.',
  'Location id → where this dataset\'s copies are in that location, e.g. {"local": "erp/*.dump"}.':
    'Mã vị trí → nơi chứa các bản sao của tập dữ liệu này tại vị trí đó, ví dụ {"local": "erp/*.dump"}.',
  'disk: glob(s) relative to the location path; s3: key prefix or glob(s) under the location prefix; offline-log: the dataset name used in the log.':
    'disk: (các) mẫu glob tương đối với đường dẫn của vị trí; s3: tiền tố khóa hoặc (các) mẫu glob dưới tiền tố của vị trí; offline-log: tên tập dữ liệu dùng trong nhật ký.',
  'One glob or prefix, e.g. "erp/*.dump".': 'Một mẫu glob hoặc tiền tố, ví dụ "erp/*.dump".',
  'Several globs or prefixes, e.g. ["erp/*.dump", "erp/*.wal"].':
    'Nhiều mẫu glob hoặc tiền tố, ví dụ ["erp/*.dump", "erp/*.wal"].',
  'A glob or prefix, e.g. "erp/*.wal".': 'Một mẫu glob hoặc tiền tố, ví dụ "erp/*.wal".',
  'Where the production data lives (counted only with countPrimary).':
    'Nơi chứa dữ liệu đang vận hành (chỉ được tính khi bật countPrimary).',
  'The restore-drill log (JSON Lines).': 'Nhật ký diễn tập khôi phục (JSON Lines).',
  "How a deep verify (verify --deep, the agent's deepVerify) reads the copies again.":
    'Cách một lần xác minh sâu (verify --deep, deepVerify của tác nhân) đọc lại các bản sao.',
  'Read again at most this much per deep verify, the copies read longest ago first, e.g. "2TB" (default: everything); --budget overrides it.':
    'Mỗi lần xác minh sâu đọc lại nhiều nhất chừng này dữ liệu, bản sao được đọc lâu nhất trước, ví dụ "2TB" (mặc định: toàn bộ); --budget ghi đè giá trị này.',
  'When the agent verifies: cron expressions (five fields, or six with seconds first).':
    'Khi nào tác nhân xác minh: biểu thức cron (năm trường, hoặc sáu trường với giây đứng đầu).',
  'A cron expression for the quick (cached) verify, e.g. "*/15 * * * *" (the default).':
    'Biểu thức cron cho lần xác minh nhanh (dùng bộ đệm), ví dụ "*/15 * * * *" (mặc định).',
  'A cron expression for the deep verify within deep.budget, e.g. "30 2 * * *" (the default).':
    'Biểu thức cron cho lần xác minh sâu trong hạn mức deep.budget, ví dụ "30 2 * * *" (mặc định).',
  'The time zone of the cron expressions, e.g. "Asia/Ho_Chi_Minh" (default: the machine\'s).':
    'Múi giờ của các biểu thức cron, ví dụ "Asia/Ho_Chi_Minh" (mặc định: múi giờ của máy).',
  'How the agent watches the media and drill logs and the disk locations between runs.':
    'Cách tác nhân theo dõi nhật ký phương tiện, nhật ký diễn tập và các vị trí đĩa giữa các lần chạy.',
  'A change counts once the file has kept its size and time this long, e.g. "2m" (the default): a backup being written is not read until it is done.':
    'Một thay đổi chỉ được tính khi tệp giữ nguyên kích thước và thời gian trong khoảng này, ví dụ "2m" (mặc định): bản sao lưu đang được ghi sẽ không bị đọc trước khi ghi xong.',
  "Where the agent sends its reports (the collector's API) and how.":
    'Nơi tác nhân gửi báo cáo (API của máy thu thập) và cách gửi.',
  'The collector\'s reports URL, e.g. "https://collector.example.vn/api/v1/reports".':
    'URL nhận báo cáo của máy thu thập, ví dụ "https://collector.example.vn/api/v1/reports".',
  'A file holding the agent token (never the token itself in this file).':
    'Tệp chứa mã thông báo của tác nhân (không bao giờ ghi chính mã thông báo vào tệp cấu hình này).',
  "A PEM file of the CA that signed the collector's certificate.": 'Tệp PEM của CA đã ký chứng chỉ của máy thu thập.',
  'A PEM client certificate, for a collector that asks for one (mTLS).':
    'Chứng chỉ máy khách PEM, cho máy thu thập yêu cầu chứng chỉ (mTLS).',
  "The client certificate's PEM private key.": 'Khóa riêng PEM của chứng chỉ máy khách.',
  'Reports wait on disk until the collector has them; past these bounds the oldest are dropped, counted.':
    'Báo cáo chờ trên đĩa cho đến khi máy thu thập nhận được; vượt các giới hạn này thì báo cáo cũ nhất bị bỏ và được đếm.',
  'At most this many reports wait (default 10000).': 'Tối đa bấy nhiêu báo cáo chờ gửi (mặc định 10000).',
  'At most this much waits on disk (default "512MiB").': 'Tối đa bấy nhiêu dữ liệu chờ trên đĩa (mặc định "512MiB").',
  "The agent's local /healthz and /metrics.": '/healthz và /metrics cục bộ của tác nhân.',
  'host:port to answer on, e.g. "127.0.0.1:9321" (default: no listener).':
    'host:cổng để trả lời, ví dụ "127.0.0.1:9321" (mặc định: không lắng nghe).',
};
