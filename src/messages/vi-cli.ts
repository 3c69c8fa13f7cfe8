// Vietnamese words of what the commands say about their own input and running (same codes as en-cli.ts).
// Commands, options, values, file paths and error codes (ENOENT …) stay as they are written.
import type { enCli } from './en-cli.js';

export const viCli: Record<keyof typeof enCli, string> = {
  'cli.unknown-command': 'không có lệnh "{command}"',
  'cli.invalid-config': 'tệp cấu hình {file} không hợp lệ: {count}',
  'cli.could-not-run': 'không chạy được: {error}',
  'count.problem.one': '{n} vấn đề',
  'count.problem.other': '{n} vấn đề',
  'usage.one-of': '--{name} phải là một trong các giá trị: {allowed} (nhận được "{value}")',
  'usage.lang-environment': 'BACKUP321_LANG phải là một trong các giá trị: {allowed} (nhận được "{value}")',
  'usage.required': 'bắt buộc phải có --{name}',
  'usage.duration': '--{name} phải là một khoảng thời gian như 30s, 5m hoặc 0 (nhận được "{value}")',
  'usage.size': '--{name} phải là một dung lượng như 500GB, 2TiB hoặc một số byte (nhận được "{value}")',
  'usage.budget-needs-deep': '--budget giới hạn lượng dữ liệu một lần xác minh sâu đọc lại: hãy dùng cùng --deep',
  'usage.serve-needs-fleet': '--serve và --listen giữ máy thu thập của đội máy trình diễn chạy: hãy dùng cùng --fleet',
  'usage.budget-zero': '--budget 0 thì sẽ không bao giờ đọc lại gì: ghi một dung lượng như 500GB, hoặc "all"',
  'usage.unknown-option': "không có tùy chọn '{option}'",
  'usage.missing-value': "tùy chọn '{option}' thiếu giá trị",
  'usage.takes-no-value': "tùy chọn '{option}' không nhận giá trị",
  'usage.unexpected-argument': "tham số thừa '{argument}': lệnh này chỉ nhận các tùy chọn",
  'usage.ambiguous-value':
    "giá trị của tùy chọn '{option}' không rõ ràng.\nCó phải bạn quên ghi giá trị cho '{option}'?\nGiá trị bắt đầu bằng dấu gạch ngang được ghi dạng '{option}=-XYZ'.",
  'usage.arguments': 'lỗi tham số dòng lệnh: {text}',
  'usage.unknown-dataset': 'không có tập dữ liệu {ids}; cấu hình có: {known}',

  'check.error': 'lỗi',
  'check.warning': 'cảnh báo',
  'check.valid': '{file}: hợp lệ',
  'check.valid-with-warnings': '{file}: hợp lệ ({count})',
  'check.invalid': '{file}: có {count}',
  'count.error.one': '{n} lỗi',
  'count.error.other': '{n} lỗi',
  'count.warning.one': '{n} cảnh báo',
  'count.warning.other': '{n} cảnh báo',

  'output.cannot-write': 'không ghi được {file}: {reason}',
  'output.reason.ENOENT': 'thư mục {directory} không tồn tại',
  'output.reason.ENOTDIR': '{directory} không phải là thư mục',
  'output.reason.EACCES': 'không có quyền ghi trong {directory}',
  'output.reason.EROFS': '{directory} nằm trên hệ thống tệp chỉ đọc',
  'output.reason.ENOSPC': 'thiết bị đã hết dung lượng',
  'output.reason.EISDIR': 'đó là một thư mục',
  'output.reason.other': 'lỗi {code}',
  'output.reason.unknown': 'lỗi không xác định',

  'log.location-with-log': '--location chọn nhật ký từ --config; không dùng kèm với --log',
  'log.choose-location': '{file}: cần --location ID để chọn một vị trí offline-log (các vị trí offline-log: {ids})',
  'log.no-such-location': '{file}: không có vị trí offline-log "{location}" (các vị trí offline-log: {ids})',
  'log.none': 'không có',
  'log.no-drill-log': '{file}: chưa cấu hình nhật ký "restoreDrills"; hãy thêm vào, hoặc dùng --log FILE',
  'log.lock-held': '{lock} đang do {holder} giữ; nếu không có lệnh backup321 nào đang chạy, hãy xóa tệp này',

  'media.unknown-action': 'không có thao tác "{action}" (dùng {actions})',
  'media.media-required': 'bắt buộc phải có --media ID',
  'media.takes-no-files': 'media {action} không nhận tệp nào (nhận được {files})',
  'media.retired': 'phương tiện {media} đã ngừng sử dụng ({log}:{line}); phương tiện dùng lại phải có mã mới',
  'media.write-needs-dataset': 'media write cần --dataset ID',
  'media.write-needs-files': 'media write cần (các) FILE đã ghi lên phương tiện',
  'media.verify-needs-files': 'media verify cần (các) FILE để tính lại mã băm, hoặc --file NAME --sha256 HEX',
  'media.no-written-file': '{log} không có sự kiện "written" cho {file} trên {media}; hãy chỉ định --dataset ID',
  'media.type-mismatch':
    'phương tiện {media} được ghi là {known} trong {log}, không phải {type}; kiểm tra lại mã phương tiện',
  'media.new-needs-type': 'phương tiện {media} chưa có trong {log}: hãy chỉ định --type tape|removable-disk|optical',
  'media.unknown-media':
    'phương tiện {media} chưa có sự kiện "written" nào trong {log}; kiểm tra lại mã, hoặc chỉ định --type để vẫn ghi nhận',
  'media.sha256-with-files': 'khi dùng --sha256, hãy chỉ định tệp bằng --file NAME thay vì tham số FILE',
  'media.sha256-needs-file': '--sha256 cần --file NAME (tên tệp như được ghi trên phương tiện)',
  'media.sha256-format': '--sha256 phải gồm 64 chữ số thập lục phân',
  'media.future-mtime':
    '{path}: thời điểm sửa đổi {time} muộn hơn đồng hồ của máy này ({now}) quá {skew}; hãy sửa đồng hồ hoặc thời điểm của tệp trước khi ghi nhận',
  'media.csv-missing-columns':
    'dòng tiêu đề của nhật ký CSV không có cột {columns}; hãy thêm (các) cột đó vào dòng đầu tiên',
  'media.invalid-event': 'từ chối ghi một sự kiện không hợp lệ: {problem}',
  'media.note.no-data-time':
    'media write: {log} không có cột dataTime nên thời điểm dữ liệu của {file} ({dataTime}) không được ghi lại: tuổi của bản sao được tính từ bây giờ, lúc ghi lên phương tiện (nhật ký CSV mới sẽ có cột này)',
  'media.note.verify-mismatch': 'media verify: {file} trên {media} hiện có mã băm {sha256}, nhưng lúc ghi là {written}',
  'media.note.still-attached':
    'media offline: {media} vẫn đang được gắn vào máy dưới tên {device}; chỉ được tính là ngoại tuyến khi đã tháo ra',
  'media.note.attachment-unknown':
    'media offline: không liệt kê được các thiết bị khối để kiểm tra {media} đã được tháo ra hay chưa ({error})',

  'drill.unknown-action': 'không có thao tác "{action}" (dùng: drill record)',
  'drill.bytes-not-size':
    '--bytes "{value}" không phải là dung lượng: ghi số byte hoặc dung lượng như "180GB" hay "2TiB"',
  'drill.result': '--result phải là "success" hoặc "failure" (nhận được {value})',
  'drill.finished-before-started': '--finished {finished} sớm hơn --started {started}',
  'drill.finished-in-future':
    '--finished {time} muộn hơn đồng hồ của máy này ({now}) quá {skew}; một lần diễn tập không thể kết thúc trong tương lai',
  'drill.unknown-dataset': '{file}: không có tập dữ liệu "{dataset}"',
  'drill.unknown-location': '{file}: không có vị trí "{location}"',
  'drill.invalid-record': 'bản ghi diễn tập không hợp lệ: {problem}',

  'time.not-iso': '{field} phải là thời điểm theo ISO 8601 có múi giờ (nhận được {value})',
  'time.no-month': '{field} {value} có tháng {month} không tồn tại',
  'time.not-a-date': '{field} {value} không phải là ngày có thật: tháng {yearMonth} có {days} ngày',
  'time.not-a-time': '{field} {value} không phải là giờ hợp lệ trong ngày (00:00:00 đến 23:59:59)',
  'time.bad-offset': '{field} {value} có độ lệch múi giờ không tồn tại (từ -12:00 đến +14:00)',
  'time.skew-minutes': '{n} phút',
  'time.skew-seconds': '{n} giây',

  'demo.note.kept':
    'demo: `backup321 verify` sẽ thoát với mã {exitCode} cho môi trường mẫu này; môi trường mẫu được giữ lại tại {root}; hãy thử: backup321 verify --config {config} (điểm truy cập S3 của bản demo đã dừng cùng bản demo: khi đó không đọc được vị trí bucket của nó)',
  'demo.note.removed':
    'demo: `backup321 verify` sẽ thoát với mã {exitCode} cho môi trường mẫu này; môi trường mẫu đã được xóa',
  'demo.fleet.title':
    'Đội máy trình diễn: ba tác nhân đã chạy mỗi tác nhân một chu kỳ (agent --once) và báo cáo về máy thu thập tại {url}',
  'demo.fleet.totals':
    'Đội máy: {agents} tác nhân: {compliant} tuân thủ, {atRisk} có rủi ro, {nonCompliant} không tuân thủ, {unknown} chưa xác định, {silent} im lặng',
  'demo.fleet.agent':
    '  {agent}  {status}  tập dữ liệu: {datasets} ({compliant} tuân thủ, {atRisk} có rủi ro, {nonCompliant} không tuân thủ, {unknown} chưa xác định)',
  'demo.fleet.agent-failed': 'tác nhân {agent} thoát với mã {code}: {stderr}',
  'demo.fleet.serve':
    'Máy thu thập vẫn chạy: bảng điều khiển ở {url}/ — đăng nhập bằng mã thông báo đọc này (Ctrl-C để dừng):',
  'demo.fleet.removed': 'demo: các kho sao lưu và cơ sở dữ liệu của máy thu thập đã được xóa',
  'demo.fleet.kept':
    'demo: các kho sao lưu và cơ sở dữ liệu của máy thu thập được giữ lại trong {root} (điểm truy cập S3 của bản demo đã dừng cùng bản demo)',

  'system.ENOENT': "không có tệp hoặc thư mục này ({errno}, {syscall} '{path}')",
  'system.EACCES': "không có quyền truy cập ({errno}, {syscall} '{path}')",
  'system.EPERM': "thao tác không được phép ({errno}, {syscall} '{path}')",
  'system.EROFS': "hệ thống tệp chỉ đọc ({errno}, {syscall} '{path}')",
  'system.ENOSPC': "thiết bị đã hết dung lượng ({errno}, {syscall} '{path}')",
  'system.EISDIR': "thao tác không dùng được với thư mục ({errno}, {syscall} '{path}')",
  'system.ENOTDIR': "một phần của đường dẫn không phải là thư mục ({errno}, {syscall} '{path}')",
  'system.EEXIST': "tệp đã tồn tại ({errno}, {syscall} '{path}')",
  'system.ELOOP': "quá nhiều liên kết tượng trưng lồng nhau ({errno}, {syscall} '{path}')",
  'system.EIO': "lỗi vào/ra ({errno}, {syscall} '{path}')",
};
