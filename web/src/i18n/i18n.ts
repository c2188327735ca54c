import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zh } from './zh';
import { en } from './en';
import { errorsFor } from './errors';

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('hukou.lang') : null;
const lang = stored === 'en' ? 'en' : 'zh';

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: { ...zh, errors: errorsFor('zh') } }, en: { translation: { ...en, errors: errorsFor('en') } } },
  lng: lang,
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';

/** Chinese by default; the choice is kept in this browser. */
export function setLanguage(next: 'zh' | 'en'): void {
  localStorage.setItem('hukou.lang', next);
  document.documentElement.lang = next === 'en' ? 'en' : 'zh-CN';
  void i18n.changeLanguage(next);
}

export default i18n;
