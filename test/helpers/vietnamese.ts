// What tests accept as Vietnamese text: a letter only Vietnamese writes (a tone mark, a hook or a horn, or đ).
export const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
