export {
  WARNING_LIST_TYPES,
  MAX_REASON_LENGTH,
  MAX_REGEX_INPUT_LENGTH,
  compileWarningLists,
  type MispWarningList,
  type SkippedEntry,
  type WarningListInfo,
  type WarningListMatch,
  type WarningListMatcher,
  type WarningListType,
} from './warning-list';
export { parseMispWarningList } from './parse-warning-list';
